"""Forms of the survey module (back office) and the citizen's answer form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.forms import formset_factory

from hwallyu.surveys.models import QuestionKind, RegisterSource, Survey, SurveyTemplate
from hwallyu.surveys.services import SCALE_LABELS, SETTINGS_FIELDS

MAX_UPLOAD_BYTES = 500 * 1024 * 1024


class SurveyCreateForm(forms.Form):
    year = forms.IntegerField(label="연도", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label="기간",
        choices=[("", "연간"), ("1", "1분기"), ("2", "2분기"), ("3", "3분기"), ("4", "4분기")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    title = forms.CharField(
        label="조사명", max_length=200, required=False, help_text="비우면 '2024년 행정만족도 조사'처럼 정합니다."
    )
    template = forms.ModelChoiceField(
        label="문항 템플릿", queryset=SurveyTemplate.objects.all(), required=False, empty_label="기본 문항"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("year") and not data.get("title"):
            period = f"{data['year']}년" + (f" {data['quarter']}분기" if data.get("quarter") else "")
            data["title"] = f"{period} 행정만족도 조사"
        return data


class SurveySettingsForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = list(SETTINGS_FIELDS)
        widgets = {
            "send_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "send_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("send_start"), data.get("send_end")
        if start and end and start >= end:
            self.add_error("send_end", "발송 종료 시각은 시작 시각보다 늦어야 합니다.")
        if (data.get("min_group_size") or 0) < 1:
            self.add_error("min_group_size", "1 이상이어야 합니다.")
        if (data.get("link_expiry_days") or 0) < 1:
            self.add_error("link_expiry_days", "1일 이상이어야 합니다.")
        return data


class QuestionForm(forms.Form):
    code = forms.SlugField(label="코드", max_length=30)
    label = forms.CharField(label="문항", max_length=200)
    kind = forms.ChoiceField(label="유형", choices=QuestionKind.choices)
    order = forms.IntegerField(label="순서", min_value=0, max_value=999)
    required = forms.BooleanField(label="필수", required=False)
    is_bribe = forms.BooleanField(label="금품·향응 문항", required=False)


QuestionFormSet = formset_factory(QuestionForm, extra=1, can_delete=True, max_num=30, validate_max=True)


class TemplateCreateForm(forms.Form):
    name = forms.CharField(label="템플릿 이름", max_length=100)


class ImportForm(forms.Form):
    source = forms.ChoiceField(label="명부 종류", choices=RegisterSource.choices)
    file = forms.FileField(
        label="파일(CSV 또는 XLSX)", help_text="새올 민원사무처리부 또는 계약·보조사업 명부를 내려받은 파일"
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx", ".xlsm")):
            raise forms.ValidationError("CSV 또는 XLSX 파일만 올릴 수 있습니다.")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("파일이 너무 큽니다(500MB 이하).")
        return upload


class OptOutForm(forms.Form):
    phone = forms.CharField(
        label="휴대전화 번호", max_length=20, help_text="번호는 저장하지 않고 암호화한 값(해시)만 보관합니다."
    )


# --- the citizen's answer form ---------------------------------------------------------------


def _question_field(q: Any) -> forms.Field:
    if q.kind == QuestionKind.SCALE5:
        return forms.TypedChoiceField(
            label=q.label,
            choices=[(str(v), f"{v}점 {SCALE_LABELS[v]}") for v in (5, 4, 3, 2, 1)],
            coerce=int,
            widget=forms.RadioSelect,
            required=q.required,
            error_messages={"required": "이 문항에 답해 주세요."},
        )
    if q.kind == QuestionKind.YESNO:
        return forms.TypedChoiceField(
            label=q.label,
            choices=[("1", "예"), ("0", "아니요")],
            coerce=int,
            widget=forms.RadioSelect,
            required=q.required,
            error_messages={"required": "'예' 또는 '아니요'를 골라 주세요."},
        )
    return forms.CharField(
        label=q.label, required=q.required, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


def _incentive_fields() -> dict[str, forms.Field]:
    return {
        "incentive": forms.BooleanField(label="응답자 사은품 추첨(선정)에 응모합니다.", required=False),
        "contact": forms.CharField(
            label="사은품을 받을 휴대전화 번호",
            required=False,
            max_length=20,
            help_text="응답 내용과 따로 보관하며, 지급이 끝나면 지웁니다.",
        ),
    }


# Every citizen of a round gets the same fields, so they are built once per process for each set of questions
# (building them costs more than the rest of the answer POST's Python work). The cached fields are shared by the
# forms of that round and must never be changed: a form validates and renders with them, nothing else.
_FieldsKey = tuple[tuple[int, str, str, bool], ...]
_answer_fields: dict[tuple[_FieldsKey, bool], dict[str, forms.Field]] = {}


def answer_fields(questions: list[Any], incentive: bool) -> dict[str, forms.Field]:
    """The answer form's fields for these questions (shared, read-only; see above)."""
    key = (tuple((q.id, q.kind, q.label, q.required) for q in questions), incentive)
    fields = _answer_fields.get(key)
    if fields is None:
        if len(_answer_fields) >= 64:
            _answer_fields.clear()
        fields = {f"q{q.id}": _question_field(q) for q in questions}
        if incentive:
            fields.update(_incentive_fields())
        _answer_fields[key] = fields
    return fields


class AnswerForm(forms.Form):
    """Built from the round's questions: radio groups (fieldset + legend) and a text box."""

    def __init__(self, *args: Any, questions: list[Any], incentive: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.fields.update(answer_fields(questions, incentive))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("incentive"):
            from hwallyu.surveys.phones import normalize

            if not normalize(data.get("contact") or ""):
                self.add_error("contact", "사은품을 받을 휴대전화 번호를 010-1234-5678처럼 적어 주세요.")
        return data

    def scale_fields(self) -> list[Any]:
        return [self[f"q{q.id}"] for q in self.questions if q.kind != QuestionKind.TEXT]

    def text_fields(self) -> list[Any]:
        return [self[f"q{q.id}"] for q in self.questions if q.kind == QuestionKind.TEXT]

    def values(self) -> tuple[dict[int, int | None], dict[int, str]]:
        values: dict[int, int | None] = {}
        texts: dict[int, str] = {}
        for q in self.questions:
            raw = self.cleaned_data.get(f"q{q.id}")
            if q.kind == QuestionKind.TEXT:
                texts[q.id] = raw or ""
            else:
                values[q.id] = raw if raw not in ("", None) else None
        return values, texts


def default_year() -> int:
    return dt.date.today().year

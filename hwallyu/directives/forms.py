"""Forms of the directives pages (validation of shape; the services validate the rules)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone

from hwallyu.core.calendar import SEOUL
from hwallyu.core.widgets import QuickSelect
from hwallyu.directives.models import FINAL_STATES, DirectiveScheme, Kind, ReportKind, State
from hwallyu.org.selectors import departments

MAX_BULK_LINES = 100


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class DepartmentMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


def _choice(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def _local_input(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


class GivenAtMixin:
    """A "지시 일시" field in local time (datetime-local input)."""

    def clean_given_at(self) -> dt.datetime:
        value = self.cleaned_data["given_at"]  # type: ignore[attr-defined]
        if timezone.is_naive(value):
            value = value.replace(tzinfo=SEOUL)
        return value


class MeetingFieldsForm(GivenAtMixin, forms.Form):
    """Fields shared by a single directive and a meeting's batch."""

    given_at = forms.DateTimeField(
        label="지시 일시",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    source = forms.ChoiceField(label="출처")
    given_by = forms.ChoiceField(label="지시자")
    kind = forms.ChoiceField(label="구분", choices=Kind.choices, initial=Kind.ORDER)
    deadline_class = forms.ChoiceField(
        label="기한 구분", help_text="우선보고 기한은 공유 시각부터 이 일수로 계산합니다."
    )

    def __init__(self, *args: Any, scheme: DirectiveScheme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "source").choices = [(s, s) for s in scheme.sources]
        _choice(self, "given_by").choices = [(g, g) for g in scheme.givers]
        _choice(self, "deadline_class").choices = [
            (c["name"], f"{c['name']} ({c['days']}일)") for c in scheme.deadline_classes
        ]
        if not self.is_bound:
            self.initial.setdefault("given_at", _local_input(timezone.now()))
            self.initial.setdefault("deadline_class", scheme.default_class["name"])


class DirectiveForm(MeetingFieldsForm):
    title = forms.CharField(label="제목", max_length=200)
    content = forms.CharField(label="내용", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    lead_department = DepartmentChoiceField(label="주관부서", queryset=departments(active_only=True))
    support_departments = DepartmentMultipleChoiceField(
        label="협조부서",
        queryset=departments(active_only=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="여러 부서를 고르려면 Ctrl(⌘) 키를 누른 채 선택하세요.",
    )
    result_due_on = forms.DateField(
        label="처리결과 기한(선택)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="비워 두면 처리결과 기한 없이 관리합니다. 휴일이면 다음 근무일 18:00입니다.",
    )

    field_order = [
        "given_at",
        "source",
        "given_by",
        "kind",
        "title",
        "content",
        "lead_department",
        "support_departments",
        "deadline_class",
        "result_due_on",
    ]


class BulkForm(MeetingFieldsForm):
    lines = forms.CharField(
        label="지시사항 (한 줄에 하나)",
        widget=forms.Textarea(attrs={"rows": 10, "placeholder": "제목 | 주관부서 | 협조부서, 협조부서"}),
        help_text=(
            "한 줄에 지시사항 하나: 제목 | 주관부서 | 협조부서(선택, 쉼표로 구분). 부서는 코드나 이름으로 씁니다. "
            "엑셀에서 두세 열을 복사해 붙여 넣어도 됩니다(탭 구분)."
        ),
    )
    share_now = forms.BooleanField(label="등록과 함께 부서에 공유", required=False)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_lines(self) -> str:
        text = self.cleaned_data["lines"]
        if len([line for line in text.splitlines() if line.strip()]) > MAX_BULK_LINES:
            raise forms.ValidationError(f"한 번에 {MAX_BULK_LINES}건까지 등록할 수 있습니다.")
        return text


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label="보고 종류", choices=ReportKind.choices)
    body = forms.CharField(label="보고 내용", widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(label="첨부파일", required=False, help_text="파일당 20MB, 10개까지")

    def __init__(self, *args: Any, kinds: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kinds is not None:
            _choice(self, "kind").choices = [(k, v) for k, v in ReportKind.choices if k in kinds]


class CloseRequestForm(forms.Form):
    final_state = forms.ChoiceField(label="종결 상태", choices=[(s.value, s.label) for s in State if s in FINAL_STATES])
    reason = forms.CharField(
        label="사유",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="추진불가는 사유가 필요합니다.",
    )
    transfer_to = forms.CharField(label="이첩 기관", required=False, max_length=100, help_text="타기관 이첩일 때")


class DecisionForm(forms.Form):
    comment = forms.CharField(label="의견", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionDecisionForm(DecisionForm):
    """The same form in the extension panel, with its own element ids."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "extension_%s")
        super().__init__(*args, **kwargs)


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label="연장 일수", min_value=1, max_value=60)
    reason = forms.CharField(label="사유", widget=forms.Textarea(attrs={"rows": 3}))


class ReviewApproveForm(forms.Form):
    note = forms.CharField(label="검토 의견", required=False, widget=forms.Textarea(attrs={"rows": 3}))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class SchemeForm(forms.Form):
    deadline_classes = forms.CharField(
        label="기한 구분",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "한 줄에 하나: 이름 | 일수. 첫 줄이 기본값입니다. "
            "5일 이하는 근무시간(1일=8시간), 6일 이상은 근무일로 셉니다."
        ),
    )
    sources = forms.CharField(label="지시 출처", widget=forms.Textarea(attrs={"rows": 4}), help_text="한 줄에 하나")
    givers = forms.CharField(label="지시자", widget=forms.Textarea(attrs={"rows": 4}), help_text="한 줄에 하나")

    @staticmethod
    def initial_for(scheme: DirectiveScheme) -> dict[str, str]:
        return {
            "deadline_classes": "\n".join(f"{c['name']} | {c['days']}" for c in scheme.deadline_classes),
            "sources": "\n".join(scheme.sources),
            "givers": "\n".join(scheme.givers),
        }

    def clean_deadline_classes(self) -> list[dict[str, Any]]:
        result = []
        for number, line in enumerate(_lines(self.cleaned_data["deadline_classes"]), start=1):
            name, sep, days = line.rpartition("|")
            if not sep:
                raise forms.ValidationError(f"{number}번째 줄: '이름 | 일수' 형식으로 입력하세요.")
            try:
                value = int(days.strip())
            except ValueError:
                raise forms.ValidationError(f"{number}번째 줄: 일수 '{days.strip()}'이(가) 숫자가 아닙니다.")
            result.append({"name": name.strip(), "days": value})
        return result

    def clean_sources(self) -> list[str]:
        return _lines(self.cleaned_data["sources"])

    def clean_givers(self) -> list[str]:
        return _lines(self.cleaned_data["givers"])


class ListFilterForm(forms.Form):
    year = forms.TypedChoiceField(label="연도", required=False, coerce=int, empty_value=None, widget=QuickSelect)
    quarter = forms.TypedChoiceField(
        label="분기",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "전체")] + [(q, f"{q}분기") for q in range(1, 5)],
        widget=QuickSelect,
    )
    department = forms.ChoiceField(label="부서", required=False, widget=QuickSelect)
    state = forms.ChoiceField(
        label="상태",
        required=False,
        choices=[("", "전체"), ("open", "미종결 전체"), *State.choices],
        widget=QuickSelect,
    )
    overdue = forms.BooleanField(label="기한 경과만", required=False)
    q = forms.CharField(label="검색어", required=False, max_length=100)

    def __init__(self, *args: Any, years: list[int], department_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "year").choices = [("", "전체")] + [(y, f"{y}년") for y in years]
        _choice(self, "department").choices = [("", "전체"), *department_choices]

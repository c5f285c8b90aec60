"""Forms of the review analysis; money in 백만원 (stored in whole won)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from hwallyu.org import selectors as org
from hwallyu.pledges import selectors as pledge_selectors
from hwallyu.reviews import selectors
from hwallyu.reviews.models import AssessmentState, DelayCategory, RoundKind, Rule, Tone
from hwallyu.workplan import selectors as plan_selectors
from hwallyu.workplan.forms import MillionField, QuickSelect

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoundForm(forms.Form):
    year = forms.IntegerField(label="연도", min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label="구분", choices=RoundKind.choices)
    quarter = forms.TypedChoiceField(
        label="분기",
        choices=[("", "-"), (1, "1분기"), (2, "2분기"), (3, "3분기"), (4, "4분기")],
        coerce=int,
        required=False,
        empty_value=None,
    )
    title = forms.CharField(label="이름(비우면 자동)", max_length=100, required=False)
    as_of = forms.DateField(label="기준일(비우면 분기 말)", required=False, widget=DATE)
    opens_on = forms.DateField(label="제출 시작일", required=False, widget=DATE)
    closes_on = forms.DateField(label="제출 마감일", required=False, widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == RoundKind.QUARTERLY and not data.get("quarter"):
            self.add_error("quarter", "분기 회차는 분기를 골라야 합니다.")
        if data.get("kind") == RoundKind.ADHOC:
            data["quarter"] = None
            for name in ("as_of", "opens_on", "closes_on"):
                if not data.get(name):
                    self.add_error(name, "수시 회차는 날짜를 모두 입력해야 합니다.")
        return data


class RoundEditForm(forms.Form):
    title = forms.CharField(label="이름", max_length=100)
    as_of = forms.DateField(label="기준일", widget=DATE)
    opens_on = forms.DateField(label="제출 시작일", widget=DATE)
    closes_on = forms.DateField(label="제출 마감일", widget=DATE)


class TargetForm(forms.Form):
    title = forms.CharField(label="대상 사업명(비우면 사업·공약 이름)", max_length=200, required=False)
    long_term = forms.BooleanField(label="장기추진 대상", required=False)
    note = forms.CharField(label="비고", max_length=200, required=False)

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"] = forms.ModelChoiceField(
            label="주요업무 사업", queryset=plan_selectors.project_choices(year), required=False
        )
        self.fields["pledge"] = forms.ModelChoiceField(
            label="공약", queryset=pledge_selectors.pledge_choices(), required=False
        )
        self.fields["department"] = forms.ModelChoiceField(
            label="담당 부서(비우면 사업·공약의 부서)", queryset=org.departments(active_only=True), required=False
        )
        self.order_fields(["project", "pledge", "title", "department", "long_term", "note"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("project") and not data.get("pledge"):
            raise forms.ValidationError("주요업무 사업이나 공약 중 하나를 고르세요.")
        return data


class TargetEditForm(forms.Form):
    title = forms.CharField(label="대상 사업명", max_length=200)
    long_term = forms.BooleanField(label="장기추진 대상", required=False)
    active = forms.BooleanField(label="심사 대상(다음 회차부터)", required=False)
    note = forms.CharField(label="비고", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"] = forms.ModelChoiceField(
            label="담당 부서", queryset=org.departments(active_only=True)
        )
        self.order_fields(["title", "department", "long_term", "active", "note"])


class SubmissionForm(forms.Form):
    progress = forms.IntegerField(
        label="추진률(%)",
        min_value=0,
        max_value=100,
        required=False,
        error_messages={
            "min_value": "추진률은 0 이상이어야 합니다.",
            "max_value": "추진률은 100 이하여야 합니다(입력값 확인).",
            "invalid": "추진률은 정수여야 합니다.",
        },
    )
    work_done = forms.CharField(label="추진 실적", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    budget = MillionField(label="예산(백만원)")
    budget_executed = MillionField(label="집행액(백만원)")
    budget_note = forms.CharField(
        label="예산 집행 비고", max_length=300, required=False, help_text="집행액이 예산보다 많으면 사유를 적습니다."
    )
    issues = forms.CharField(label="문제점·애로사항", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    delay_category = forms.ModelChoiceField(
        label="부진 사유 구분", queryset=DelayCategory.objects.none(), required=False
    )
    delay_reason = forms.CharField(label="부진 사유", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    next_plan = forms.CharField(label="다음 분기 계획", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    attachment = forms.FileField(label="첨부(선택)", required=False)

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["delay_category"]).queryset = selectors.delay_categories(year)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        budget, executed = data.get("budget"), data.get("budget_executed")
        if executed is not None and executed > (budget or 0) and not (data.get("budget_note") or "").strip():
            self.add_error("budget_note", "집행액이 예산보다 많습니다. 사유를 예산 집행 비고에 적어 주세요.")
        return data


class ReturnForm(forms.Form):
    reason = forms.CharField(label="보완 요청 사유", widget=forms.Textarea(attrs={"rows": 3}))


class AssessForm(forms.Form):
    final_state = forms.ModelChoiceField(label="심사 결과", queryset=AssessmentState.objects.none())
    comment = forms.CharField(label="심사 의견", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scheme = selectors.scheme_for(year)
        cast(forms.ModelChoiceField, self.fields["final_state"]).queryset = (
            scheme.states.all() if scheme else AssessmentState.objects.none()
        )


class AlternativeForm(forms.Form):
    text = forms.CharField(label="대안", widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label="이행 기한(선택)", required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"] = forms.ModelChoiceField(
            label="이행 부서(비우면 담당 부서)",
            queryset=org.departments(active_only=True).select_related(None).only("pk", "code", "name", "order"),
            required=False,
            widget=QuickSelect,  # a hundred departments or more, on every submission page
        )
        self.order_fields(["text", "department", "due_on"])


class ConvertForm(forms.Form):
    source = forms.ChoiceField(label="지시 출처")
    given_by = forms.ChoiceField(label="지시자")
    deadline_class = forms.ChoiceField(label="기한 구분")

    def __init__(self, *args: Any, sources: list[str], givers: list[str], classes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["source"]).choices = [(s, s) for s in sources]
        cast(forms.ChoiceField, self.fields["given_by"]).choices = [(g, g) for g in givers]
        cast(forms.ChoiceField, self.fields["deadline_class"]).choices = [(c, c) for c in classes]


class StateForm(forms.Form):
    code = forms.SlugField(label="코드(영문)", max_length=30)
    label = forms.CharField(label="이름", max_length=30)
    rule = forms.ChoiceField(label="제안 규칙", choices=Rule.choices)
    gap_threshold = forms.DecimalField(
        label="격차 기준(계획보다 %p 초과 뒤처지면)",
        max_digits=5,
        decimal_places=1,
        min_value=0,
        max_value=100,
        required=False,
    )
    tone = forms.ChoiceField(label="표시 색", choices=Tone.choices, required=False)
    order = forms.IntegerField(label="순서", min_value=0, max_value=999, initial=0)


class DelayCategoryForm(forms.Form):
    label = forms.CharField(label="부진 사유 구분", max_length=50)
    order = forms.IntegerField(label="순서", min_value=0, max_value=999, initial=0)


class SchemeSettingsForm(forms.Form):
    reminder_before = forms.BooleanField(label="마감 하루 전(근무일) 알림", required=False)
    remind_overdue = forms.BooleanField(label="마감 후 제출할 때까지 매 근무일 알림", required=False)


class SchemeCreateForm(forms.Form):
    year = forms.IntegerField(label="연도", min_value=2000, max_value=2100)

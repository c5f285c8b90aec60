"""Forms of pledges; budgets are typed in 백만원 and stored in whole won."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from hwallyu.org import selectors as org
from hwallyu.pledges import selectors
from hwallyu.pledges.models import PledgeCategory, Tone
from hwallyu.workplan.forms import MONTH_CHOICES, MillionField, QuickSelect


def _state_choices(year: int | None = None) -> list[tuple[str, str]]:
    return [(s.code, s.label) for s in selectors.states_for(year)]


class PledgeForm(forms.Form):
    code = forms.CharField(label="공약 번호", max_length=20)
    title = forms.CharField(label="공약명", max_length=200)
    category = forms.ModelChoiceField(label="분야", queryset=PledgeCategory.objects.none())
    term = forms.CharField(label="민선 기수", max_length=20, initial="민선8기")
    summary = forms.CharField(label="공약 내용", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    state_code = forms.ChoiceField(label="상태")
    progress = forms.IntegerField(
        label="추진률(%)",
        min_value=0,
        max_value=100,
        initial=0,
        error_messages={"min_value": "추진률은 0 이상이어야 합니다.", "max_value": "추진률은 100 이하여야 합니다."},
    )
    budget_needed = MillionField(label="소요 예산(백만원)")
    budget_secured = MillionField(label="확보 예산(백만원)")
    published = forms.BooleanField(label="공개 페이지에 표시", required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["category"]).queryset = selectors.categories()
        self.fields["department"] = forms.ModelChoiceField(
            label="담당 부서", queryset=org.departments(active_only=True)
        )
        cast(forms.ChoiceField, self.fields["state_code"]).choices = _state_choices()
        self.order_fields(["code", "title", "category", "department", "term", "state_code", "progress"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("budget_needed", "budget_secured"):
            if data.get(name) is None:
                data[name] = 0
        return data


class NoteForm(forms.Form):
    written_on = forms.DateField(label="일자", widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label="추진 실적", widget=forms.Textarea(attrs={"rows": 4}))
    state_code = forms.ChoiceField(label="상태")
    progress = forms.IntegerField(
        label="추진률(%)",
        min_value=0,
        max_value=100,
        error_messages={"min_value": "추진률은 0 이상이어야 합니다.", "max_value": "추진률은 100 이하여야 합니다."},
    )
    evidence = forms.FileField(label="증빙 자료(선택)", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["state_code"]).choices = _state_choices()


class TargetForm(forms.Form):
    year = forms.IntegerField(label="연도", min_value=2000, max_value=2100)
    target = forms.CharField(label="연도 목표", widget=forms.Textarea(attrs={"rows": 3}))
    planned_months = forms.TypedMultipleChoiceField(
        label="추진 월(심사분석 계획 진도의 기준)",
        choices=MONTH_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    budget_planned = MillionField(label="연도 예산(백만원)")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("budget_planned") is None:
            data["budget_planned"] = 0
        return data


class CategoryForm(forms.Form):
    name = forms.CharField(label="분야 이름", max_length=50)


class StateForm(forms.Form):
    code = forms.SlugField(label="코드(영문)", max_length=30)
    label = forms.CharField(label="이름", max_length=30)
    counts_as_complete = forms.BooleanField(label="이행률에 완료로 셈", required=False)
    tone = forms.ChoiceField(label="표시 색", choices=Tone.choices, required=False)
    order = forms.IntegerField(label="순서", min_value=0, max_value=999, initial=0)


class SchemeCreateForm(forms.Form):
    year = forms.IntegerField(label="연도", min_value=2000, max_value=2100)


class PublicPageForm(forms.Form):
    enabled = forms.BooleanField(label="공약 이행 현황을 시민에게 공개", required=False)
    title = forms.CharField(label="제목", max_length=100)
    intro = forms.CharField(label="안내 문구", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class FilterForm(forms.Form):
    category = forms.ModelChoiceField(
        label="분야", queryset=PledgeCategory.objects.none(), required=False, empty_label="전체"
    )
    state = forms.ChoiceField(label="상태", required=False)
    q = forms.CharField(label="공약명", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["category"]).queryset = selectors.categories()
        self.fields["department"] = forms.ModelChoiceField(
            label="부서",
            queryset=org.departments(active_only=True).select_related(None).only("pk", "code", "name", "order"),
            required=False,
            empty_label="전체",
            widget=QuickSelect,  # a hundred departments or more
        )
        cast(forms.ChoiceField, self.fields["state"]).choices = [("", "전체"), *_state_choices()]
        self.order_fields(["category", "department", "state", "q"])

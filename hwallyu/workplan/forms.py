"""Forms of the work plan; amounts are typed in 백만원 and stored in whole won."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms

from hwallyu.core.widgets import QuickSelect
from hwallyu.org import selectors as org
from hwallyu.org.models import Department, Team
from hwallyu.workplan.models import MONEY_FIELDS, Goal, Project, WorkPlan
from hwallyu.workplan.money import from_million, to_million

MONTH_CHOICES = [(m, f"{m}월") for m in range(1, 13)]


class PlanCreateForm(forms.Form):
    year = forms.IntegerField(label="연도", min_value=2000, max_value=2100)
    title = forms.CharField(label="계획 이름", max_length=100, required=False, help_text="비우면 'YYYY년 주요업무계획'")
    context = forms.CharField(label="업무 여건", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class PlanEditForm(forms.Form):
    title = forms.CharField(label="계획 이름", max_length=100)
    context = forms.CharField(label="업무 여건", required=False, widget=forms.Textarea(attrs={"rows": 5}))


def _department_field(user: Any, own_only: bool) -> forms.ModelChoiceField:
    qs = org.departments(active_only=True)
    if own_only:
        own = org.department_of(user)
        qs = qs.filter(pk=own.pk) if own else qs.none()
    return forms.ModelChoiceField(label="담당 부서", queryset=qs)


class GoalForm(forms.Form):
    text = forms.CharField(label="목표", max_length=200)

    def __init__(self, *args: Any, user: Any, own_only: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"] = _department_field(user, own_only)


class TaskForm(forms.Form):
    title = forms.CharField(label="주요업무", max_length=200)
    team = forms.ModelChoiceField(label="담당 팀", queryset=Team.objects.none(), required=False)
    aims = forms.CharField(
        label="추진 목표(❖)", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="한 줄에 하나씩"
    )
    overview = forms.CharField(label="추진 개요", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    plan_text = forms.CharField(label="추진 계획", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    expected_effects = forms.CharField(
        label="기대 효과", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="한 줄에 하나씩"
    )

    def __init__(self, *args: Any, plan: WorkPlan, user: Any, own_only: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"] = forms.ModelChoiceField(label="목표", queryset=Goal.objects.filter(plan=plan))
        self.fields["department"] = _department_field(user, own_only)
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = org.active_teams()
        self.order_fields(["goal", "title", "department", "team"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        team, department = data.get("team"), data.get("department")
        if team is not None and department is not None and team.department_id != department.pk:
            self.add_error("team", "선택한 팀이 담당 부서에 속하지 않습니다.")
        return data


class ProjectForm(forms.Form):
    title = forms.CharField(label="사업명", max_length=200)
    team = forms.ModelChoiceField(label="담당 팀", queryset=Team.objects.none(), required=False)
    description = forms.CharField(label="내용", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    schedule_note = forms.CharField(
        label="일정 비고", max_length=200, required=False, help_text="예: 지시·당부 등 연중 수시 (분기별 총괄보고)"
    )
    months = forms.TypedMultipleChoiceField(
        label="추진 월",
        choices=MONTH_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: Any, own_only: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"] = _department_field(user, own_only)
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = org.active_teams()
        for m in range(1, 13):
            self.fields[f"note_{m}"] = forms.CharField(label=f"{m}월 내용", max_length=100, required=False)
        self.order_fields(["title", "department", "team", "description", "schedule_note", "months"])

    def month_notes(self) -> list[tuple[int, Any]]:
        return [(m, self[f"note_{m}"]) for m in range(1, 13)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        team, department = data.get("team"), data.get("department")
        if team is not None and department is not None and team.department_id != department.pk:
            self.add_error("team", "선택한 팀이 담당 부서에 속하지 않습니다.")
        return data

    def schedule(self) -> dict[int, str]:
        return {m: self.cleaned_data.get(f"note_{m}", "") for m in self.cleaned_data.get("months", [])}

    @staticmethod
    def initial_for(project: Project) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "title": project.title,
            "department": project.department_id,
            "team": project.team_id,
            "description": project.description,
            "schedule_note": project.schedule_note,
            "months": [m.month for m in project.months.all()],
        }
        for m in project.months.all():
            initial[f"note_{m.month}"] = m.note
        return initial


class ProgressForm(forms.Form):
    progress = forms.IntegerField(
        label="추진률(%)",
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": "추진률은 0 이상이어야 합니다.",
            "max_value": "추진률은 100 이하여야 합니다.",
            "invalid": "추진률은 정수여야 합니다.",
        },
    )
    progress_note = forms.CharField(label="추진 상황", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class MillionField(forms.DecimalField):
    """An amount typed in 백만원 (up to 6 decimals = whole won), stored as whole won; "-" or empty = none."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 6)
        kwargs.setdefault(
            "error_messages", {"invalid": "숫자(백만원)를 입력하세요.", "min_value": "0 이상이어야 합니다."}
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.replace(",", "").strip()
            if value in ("-", "–", "—"):
                return None
        return super().to_python(value)

    def clean(self, value: Any) -> int | None:  # type: ignore[override]
        amount = super().clean(value)
        return None if amount is None else from_million(amount)


class BudgetLineForm(forms.Form):
    name = forms.CharField(label="사업명", max_length=300)
    project = forms.ModelChoiceField(label="연결 사업", queryset=Project.objects.none(), required=False)
    total_cost = MillionField(label="총사업비")
    this_year = MillionField(label="계", help_text="입력한 값 그대로 저장하고 재원 합계와 다르면 표시합니다.")
    national = MillionField(label="국비")
    provincial = MillionField(label="도비")
    city = MillionField(label="시비")
    other = MillionField(label="기타")
    later = MillionField(label="이후")

    def __init__(self, *args: Any, plan: WorkPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["project"]).queryset = Project.objects.filter(plan=plan).order_by(
            "task__number", "number"
        )

    @staticmethod
    def initial_for(line: Any) -> dict[str, Any]:
        data: dict[str, Any] = {"name": line.name, "project": line.project_id}
        for name in MONEY_FIELDS:
            data[name] = to_million(getattr(line, name))
        return data


class ExecutionForm(forms.Form):
    executed = MillionField(label="집행액(백만원)", required=True)
    execution_note = forms.CharField(label="비고", max_length=200, required=False)


class BudgetImportForm(forms.Form):
    file = forms.FileField(label="사업비 조서 파일(.xlsx, .csv)")


class PlanImportForm(forms.Form):
    file = forms.FileField(label="계획 파일(.json, .yaml)")
    year = forms.IntegerField(label="연도(비우면 파일의 연도)", min_value=2000, max_value=2100, required=False)
    replace = forms.BooleanField(label="같은 연도 계획이 있으면 덮어쓰기(작성 중인 계획만)", required=False)


class ScheduleFilterForm(forms.Form):
    department = forms.ModelChoiceField(
        label="부서", queryset=Department.objects.none(), required=False, empty_label="전체 부서", widget=QuickSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = (
            org.departments(active_only=True).select_related(None).only("pk", "code", "name", "order")
        )

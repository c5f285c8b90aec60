"""Forms of the province evaluation pages (Korean labels and messages)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms

from hwallyu.core.widgets import QuickSelect
from hwallyu.org.selectors import departments
from hwallyu.province import forecast
from hwallyu.province.importers import (
    COL_DIRECTION,
    COL_POINTS,
    COL_TARGET,
    MAX_BYTES,
    indicator_rule_errors,
)
from hwallyu.province.models import CityGroup, Direction, EvaluationYear, Indicator, IndicatorType
from hwallyu.province.selectors import QUALITATIVE_DONE, QUALITATIVE_LATE, QUALITATIVE_OPEN
from hwallyu.province.services import IndicatorInput, SchemeInput

MONTH_CHOICES = [(m, f"{m}월") for m in range(1, 13)]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class YearCreateForm(forms.Form):
    year = forms.IntegerField(label="평가 연도", min_value=2000, max_value=2100)


def _numbers(text: str, label: str) -> list[int]:
    values = []
    for part in (text or "").replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise forms.ValidationError(f"{label}: 0 이상의 정수를 쉼표로 구분해 적으세요.")
        values.append(int(part))
    return values


class SchemeForm(forms.Form):
    title = forms.CharField(label="제목", max_length=100, required=False)
    city_group = forms.ChoiceField(label="우리 시 평가군", choices=CityGroup.choices)
    actuals_start_month = forms.TypedChoiceField(label="월별 실적 관리 시작 월", choices=MONTH_CHOICES, coerce=int)
    actuals_due_working_day = forms.IntegerField(
        label="월별 실적 입력 기한",
        min_value=1,
        max_value=20,
        help_text="다음 달 N번째 근무일 18:00 (업무일 달력 기준)",
    )
    lagging_forecast_rule = forms.BooleanField(label="연말 전망이 목표에 미달하면 부진", required=False)
    lagging_share_from_month = forms.TypedChoiceField(
        label="안분 목표 기준 적용 시작 월", choices=MONTH_CHOICES, coerce=int
    )
    lagging_share_percent = forms.DecimalField(
        label="안분 목표 대비 부진 기준(%)",
        min_value=Decimal("1"),
        max_value=Decimal("100"),
        decimal_places=1,
        help_text="이 비율 미만이면 부진 (기본 70%)",
    )
    achievement_cap = forms.DecimalField(label="달성도 상한(%)", min_value=100, max_value=1000, decimal_places=2)
    qualitative_deadline = forms.DateField(label="정성 실적 제출 기한", widget=forms.DateInput(attrs={"type": "date"}))
    quantitative_deadline = forms.DateField(
        label="정량 최종실적 제출 기한", widget=forms.DateInput(attrs={"type": "date"})
    )
    reminder_days = forms.CharField(
        label="알림 시점(기한 전 근무일)", help_text="쉼표로 구분, 0 = 기한 당일 (예: 3, 1, 0)", required=False
    )
    qualitative_checklist = forms.CharField(
        label="정성 제출 점검 항목", widget=forms.Textarea(attrs={"rows": 5}), help_text="한 줄에 하나씩"
    )
    whatif_base_score = forms.DecimalField(
        label="가정 분석 기준 점수",
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=3,
        help_text="비워 두면 최근 공표된 우리 시 점수를 씁니다.",
    )

    @staticmethod
    def initial_for(year: EvaluationYear) -> dict[str, Any]:
        return {
            "title": year.title,
            "city_group": year.city_group,
            "actuals_start_month": year.actuals_start_month,
            "actuals_due_working_day": year.actuals_due_working_day,
            "lagging_forecast_rule": year.lagging_forecast_rule,
            "lagging_share_from_month": year.lagging_share_from_month,
            "lagging_share_percent": (year.lagging_share * 100).quantize(Decimal("0.1")),
            "achievement_cap": year.achievement_cap,
            "qualitative_deadline": year.qualitative_deadline,
            "quantitative_deadline": year.quantitative_deadline,
            "reminder_days": ", ".join(str(d) for d in year.reminder_days),
            "qualitative_checklist": "\n".join(year.qualitative_checklist),
            "whatif_base_score": year.whatif_base_score,
        }

    def clean_reminder_days(self) -> list[int]:
        return _numbers(self.cleaned_data["reminder_days"], "알림 시점")

    def clean_qualitative_checklist(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["qualitative_checklist"].splitlines() if line.strip()]

    def scheme(self) -> SchemeInput:
        data = self.cleaned_data
        return SchemeInput(
            title=data["title"],
            city_group=data["city_group"],
            actuals_start_month=data["actuals_start_month"],
            actuals_due_working_day=data["actuals_due_working_day"],
            lagging_forecast_rule=data["lagging_forecast_rule"],
            lagging_share_from_month=data["lagging_share_from_month"],
            lagging_share=data["lagging_share_percent"] / 100,
            achievement_cap=data["achievement_cap"],
            qualitative_deadline=data["qualitative_deadline"],
            quantitative_deadline=data["quantitative_deadline"],
            reminder_days=data["reminder_days"],
            qualitative_checklist=data["qualitative_checklist"],
            whatif_base_score=data["whatif_base_score"],
            clear_base_score=data["whatif_base_score"] is None,
        )


class DepartmentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class IndicatorForm(forms.Form):
    code = forms.CharField(label="지표 코드", max_length=30)
    field = forms.CharField(label="분야", max_length=100)
    policy = forms.CharField(label="정책", max_length=200, required=False)
    name = forms.CharField(label="지표명", max_length=200)
    kind = forms.ChoiceField(label="구분", choices=IndicatorType.choices)
    unit = forms.CharField(label="단위", max_length=30, required=False)
    direction = forms.ChoiceField(
        label="방향", choices=[("", "(정성 지표는 없음)"), *Direction.choices], required=False
    )
    target = forms.DecimalField(label="목표(우리 시)", required=False, max_digits=18, decimal_places=4)
    points = forms.DecimalField(label="배점", min_value=0, max_digits=7, decimal_places=3)
    departments = DepartmentChoiceField(
        label="담당 부서", queryset=departments(active_only=True).order_by("order", "name")
    )
    evidence_rule = forms.CharField(label="증빙 기준", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    performance_code = forms.CharField(
        label="연계 부서평가 지표 코드",
        max_length=50,
        required=False,
        help_text="부서 성과평가 지표와 연계하면 이 지표의 실적이 그 지표에도 쓰입니다(한 번만 입력).",
    )
    prior_profile = forms.CharField(
        label="전년도 월별 누계(1~12월)",
        required=False,
        help_text="쉼표로 12개 (모르는 달은 비움). 있으면 연말 전망이 전년 추이를 따릅니다.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["departments"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = departments(active_only=True).order_by("order", "name")

    @staticmethod
    def initial_for(indicator: Indicator) -> dict[str, Any]:
        return {
            "code": indicator.code,
            "field": indicator.field,
            "policy": indicator.policy,
            "name": indicator.name,
            "kind": indicator.kind,
            "unit": indicator.unit,
            "direction": indicator.direction,
            "target": indicator.target.normalize() if indicator.target is not None else None,
            "points": indicator.points.normalize(),
            "departments": list(indicator.departments.all()),
            "evidence_rule": indicator.evidence_rule,
            "performance_code": indicator.performance_code,
            "prior_profile": ", ".join("" if v is None else f"{v.normalize():f}" for v in indicator.profile),
        }

    def clean_prior_profile(self) -> list[Decimal | None]:
        text = (self.cleaned_data.get("prior_profile") or "").strip()
        if not text:
            return []
        parts = [p.strip() for p in text.replace("，", ",").split(",")]
        if len(parts) != 12:
            raise forms.ValidationError(f"1~12월 12개 값을 쉼표로 적으세요(받은 값 {len(parts)}개).")
        values: list[Decimal | None] = []
        for part in parts:
            if not part:
                values.append(None)
                continue
            try:
                value = Decimal(part)
            except InvalidOperation:
                raise forms.ValidationError(f"숫자가 아닙니다: {part}")
            if not value.is_finite() or value < 0:
                raise forms.ValidationError(f"0 이상의 숫자여야 합니다: {part}")
            values.append(value)
        return values

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind:
            errors = indicator_rule_errors(
                kind=kind, direction=data.get("direction") or "", target=data.get("target"), points=data.get("points")
            )
            names = {COL_DIRECTION: "direction", COL_TARGET: "target", COL_POINTS: "points"}
            for column, message in errors.items():
                if names[column] not in self.errors:
                    self.add_error(names[column], message)
        return data

    def to_input(self) -> IndicatorInput:
        data = self.cleaned_data
        return IndicatorInput(
            code=data["code"],
            field=data["field"],
            policy=data["policy"],
            name=data["name"],
            kind=data["kind"],
            unit=data["unit"],
            direction=data["direction"],
            target=data["target"],
            points=data["points"],
            departments=list(data["departments"]),
            evidence_rule=data["evidence_rule"],
            performance_code=data["performance_code"],
            prior_profile=data["prior_profile"],
        )


class UploadForm(forms.Form):
    file = forms.FileField(label="파일(XLSX 또는 CSV)")
    dry_run = forms.BooleanField(label="검사만 하고 저장하지 않음", required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"{MAX_BYTES // (1024 * 1024)}MB 이하의 파일을 올리세요.")
        return upload


class ActualForm(forms.Form):
    month = forms.TypedChoiceField(label="월", choices=MONTH_CHOICES, coerce=int)
    value = forms.DecimalField(label="누계 실적", min_value=0, max_digits=18, decimal_places=4)
    note = forms.CharField(label="비고(누계 감소 사유 등)", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    lag_reason = forms.CharField(label="부진 사유·대책", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = MultipleFileField(label="증빙 파일", required=False, help_text="파일당 20MB, 10개까지")


class DecisionForm(forms.Form):
    comment = forms.CharField(label="검토 의견", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WriteupForm(forms.Form):
    title = forms.CharField(label="사례 제목", max_length=200)
    body = forms.CharField(label="내용", widget=forms.Textarea(attrs={"rows": 8}))


class ConsultingForm(forms.Form):
    held_on = forms.DateField(label="컨설팅 일자", widget=forms.DateInput(attrs={"type": "date"}))
    expert = forms.CharField(label="전문가(소속·이름)", max_length=100)
    advice = forms.CharField(label="자문 내용", widget=forms.Textarea(attrs={"rows": 3}))
    follow_up = forms.CharField(label="조치 계획·결과", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ChecklistForm(forms.Form):
    label = forms.CharField(max_length=100)
    checked = forms.BooleanField(required=False)


STATUS_CHOICES = [
    ("", "전체"),
    *[(s, s) for s in forecast.STATUSES],
    *[(s, s) for s in (QUALITATIVE_DONE, QUALITATIVE_OPEN, QUALITATIVE_LATE)],
]


class IndicatorFilterForm(forms.Form):
    month = forms.TypedChoiceField(label="기준 월", choices=MONTH_CHOICES, coerce=int, required=False)
    kind = forms.ChoiceField(label="구분", choices=[("", "전체"), *IndicatorType.choices], required=False)
    field = forms.ChoiceField(label="분야", choices=[("", "전체")], required=False)
    department = forms.ChoiceField(label="담당 부서", choices=[("", "전체")], required=False, widget=QuickSelect)
    status = forms.ChoiceField(label="상태", choices=STATUS_CHOICES, required=False)
    q = forms.CharField(label="검색", required=False, max_length=100)

    def __init__(self, *args: Any, field_choices: list[str], department_choices: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["field"]).choices = [("", "전체"), *[(f, f) for f in field_choices]]
        cast(forms.ChoiceField, self.fields["department"]).choices = [("", "전체"), *department_choices]


class WhatIfForm(forms.Form):
    codes = forms.MultipleChoiceField(
        label="달성했다고 가정할 지표", widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["codes"]).choices = choices

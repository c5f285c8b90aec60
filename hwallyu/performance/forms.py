"""Forms of the department evaluation pages (Korean labels and messages)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.choices import BaseChoiceIterator

from hwallyu.core.forms import KoreanForm
from hwallyu.core.widgets import QuickSelect
from hwallyu.performance import scoring, services
from hwallyu.performance.models import AdjustmentKind, Direction, Indicator, Kind, LinkKind, Scheme

GRADE_ROWS = 6
LEVEL_ROWS = 7
CHANGE_ROWS = 3


def _decimal_field(label: str, *, required: bool = True, help_text: str = "", **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        help_text=help_text,
        max_digits=16,
        decimal_places=2,
        error_messages={
            "required": f"{label}을(를) 입력하세요.",
            "invalid": f"{label}: 숫자를 입력하세요.",
            "max_decimal_places": f"{label}: 소수 둘째 자리까지 입력할 수 있습니다.",
            "max_digits": f"{label}: 숫자가 너무 깁니다.",
            "max_whole_digits": f"{label}: 숫자가 너무 큽니다.",
            "min_value": f"{label}: 허용 범위보다 작습니다.",
            "max_value": f"{label}: 허용 범위보다 큽니다.",
        },
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        **kwargs,
    )


class SchemeCreateForm(KoreanForm):
    year = forms.IntegerField(
        label="연도",
        min_value=2000,
        max_value=2100,
        error_messages={"required": "연도를 입력하세요.", "invalid": "연도는 숫자로 입력하세요."},
    )
    copy_from = forms.TypedChoiceField(label="기준", coerce=int, empty_value=None, required=False)
    copy_indicators = forms.BooleanField(label="부서 성과지표도 초안으로 복사", required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "시스템 기본값으로 새로 만들기")] + [(y, f"{y}년 체계 복사") for y in years]
        cast(forms.ChoiceField, self.fields["copy_from"]).choices = choices
        self.fields["copy_from"].error_messages["invalid_choice"] = "목록에 있는 연도를 고르세요."


class SchemeForm(KoreanForm):
    indicator_label = forms.CharField(label="항목 1 이름", max_length=30)
    weight_indicator = _decimal_field("항목 1 배점", min_value=0, max_value=100)
    customer_label = forms.CharField(label="항목 2 이름", max_length=30)
    weight_customer = _decimal_field("항목 2 배점", min_value=0, max_value=100)
    common_label = forms.CharField(label="항목 3 이름", max_length=30)
    weight_common = _decimal_field("항목 3 배점", min_value=0, max_value=100)
    achievement_cap = _decimal_field(
        "달성률 상한(%)", min_value=100, max_value=300, help_text="지표 달성률은 이 값을 넘지 않습니다(기본 120%)."
    )
    bonus_max = _decimal_field("가점 한도(점)", min_value=0, max_value=20)
    penalty_max = _decimal_field("감점 한도(점)", min_value=0, max_value=20)
    note = forms.CharField(label="비고", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(GRADE_ROWS):
            self.fields[f"grade_code_{i}"] = forms.CharField(label=f"{i + 1}번째 등급", max_length=5, required=False)
            self.fields[f"grade_quota_{i}"] = _decimal_field(f"{i + 1}번째 등급 비율(%)", required=False)
            self.fields[f"grade_rate_{i}"] = _decimal_field(f"{i + 1}번째 등급 지급률(%)", required=False)
        for i in range(LEVEL_ROWS):
            self.fields[f"level_label_{i}"] = forms.CharField(label=f"{i + 1}번째 척도", max_length=30, required=False)
            self.fields[f"level_points_{i}"] = _decimal_field(f"{i + 1}번째 척도 점수", required=False)

    @classmethod
    def initial_for(cls, scheme: Scheme) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(scheme, name)
            for name in (
                "indicator_label",
                "weight_indicator",
                "customer_label",
                "weight_customer",
                "common_label",
                "weight_common",
                "achievement_cap",
                "bonus_max",
                "penalty_max",
                "note",
            )
        }
        for i, grade in enumerate(scheme.grades[:GRADE_ROWS]):
            initial[f"grade_code_{i}"] = grade["code"]
            initial[f"grade_quota_{i}"] = grade["quota"]
            initial[f"grade_rate_{i}"] = grade["pay_rate"]
        for i, level in enumerate(scheme.levels[:LEVEL_ROWS]):
            initial[f"level_label_{i}"] = level["label"]
            initial[f"level_points_{i}"] = level["points"]
        return initial

    def grade_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(self[f"grade_code_{i}"], self[f"grade_quota_{i}"], self[f"grade_rate_{i}"]) for i in range(GRADE_ROWS)]

    def level_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"level_label_{i}"], self[f"level_points_{i}"]) for i in range(LEVEL_ROWS)]

    def main_fields(self) -> list[Any]:
        return [self[name] for name in ("achievement_cap", "bonus_max", "penalty_max")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        grades = []
        for i in range(GRADE_ROWS):
            code = (data.get(f"grade_code_{i}") or "").strip()
            quota, rate = data.get(f"grade_quota_{i}"), data.get(f"grade_rate_{i}")
            if not code and quota is None and rate is None:
                continue
            if not code or quota is None or rate is None:
                self.add_error(f"grade_code_{i}", "등급 이름, 비율, 지급률을 모두 입력하거나 모두 비우세요.")
                continue
            grades.append({"code": code, "quota": quota, "pay_rate": rate})
        levels = []
        for i in range(LEVEL_ROWS):
            label = (data.get(f"level_label_{i}") or "").strip()
            points = data.get(f"level_points_{i}")
            if not label and points is None:
                continue
            if not label or points is None:
                self.add_error(f"level_label_{i}", "척도 이름과 점수를 함께 입력하세요.")
                continue
            levels.append({"label": label, "points": points})
        data["grades"], data["levels"] = grades, levels
        return data

    def to_input(self) -> services.SchemeInput:
        d = self.cleaned_data
        return services.SchemeInput(
            indicator_label=d["indicator_label"],
            customer_label=d["customer_label"],
            common_label=d["common_label"],
            weight_indicator=d["weight_indicator"],
            weight_customer=d["weight_customer"],
            weight_common=d["weight_common"],
            achievement_cap=d["achievement_cap"],
            bonus_max=d["bonus_max"],
            penalty_max=d["penalty_max"],
            grades=d["grades"],
            levels=d["levels"],
            note=d.get("note") or "",
        )


class GroupCreateForm(KoreanForm):
    code = forms.CharField(label="평가군 코드", max_length=20)
    name = forms.CharField(label="평가군 이름", max_length=50)


class IndicatorForm(KoreanForm):
    name = forms.CharField(label="지표명", max_length=200)
    kind = forms.ChoiceField(label="유형", choices=Kind.choices)
    direction = forms.ChoiceField(
        label="방향",
        choices=Direction.choices,
        help_text="상향: 실적이 클수록 좋음, 하향: 작을수록 좋음(정성지표는 무시)",
    )
    unit = forms.CharField(label="단위", max_length=20, required=False)
    baseline = _decimal_field("기준값", required=False)
    target = _decimal_field("목표값", required=False, help_text="정량지표는 0보다 큰 목표값이 있어야 승인됩니다.")
    weight = _decimal_field("가중치", help_text="부서 지표의 가중치 합은 100이어야 합니다.")
    data_source = forms.CharField(label="자료 출처", max_length=200, required=False)
    link_kind = forms.ChoiceField(label="연계 구분", choices=LinkKind.choices, required=False)
    link_ref = forms.CharField(
        label="연계 대상 코드",
        max_length=50,
        required=False,
        help_text="공약은 공약 번호, 주요업무 사업은 사업 번호(목록에서 고르기), 시군평가 지표는 지표 코드",
        widget=forms.TextInput(attrs={"list": "perf-link-options", "autocomplete": "off"}),
    )
    order = forms.IntegerField(label="순서", required=False, min_value=0, max_value=999)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages.setdefault("invalid_choice", "목록에 있는 값을 고르세요.")
        self.fields["name"].error_messages["required"] = "지표명을 입력하세요."

    @classmethod
    def initial_for(cls, indicator: Indicator) -> dict[str, Any]:
        return {
            name: getattr(indicator, name)
            for name in (
                "name",
                "kind",
                "direction",
                "unit",
                "baseline",
                "target",
                "weight",
                "data_source",
                "link_kind",
                "link_ref",
                "order",
            )
        }

    def to_data(self) -> services.IndicatorData:
        d = self.cleaned_data
        return services.IndicatorData(
            name=d["name"],
            weight=d["weight"],
            kind=d["kind"],
            direction=d["direction"],
            unit=d.get("unit") or "",
            baseline=d.get("baseline"),
            target=d.get("target"),
            data_source=d.get("data_source") or "",
            link_kind=d.get("link_kind") or "",
            link_ref=d.get("link_ref") or "",
            order=d.get("order"),
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ActualForm(KoreanForm):
    value = _decimal_field("실적(연간 누계)", required=False)
    note = forms.CharField(label="추진 실적", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    evidence_files = MultipleFileField(label="증빙자료", required=False, help_text="파일당 20MB, 실적 하나에 10개까지")

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        if indicator.kind == Kind.QUANTITATIVE:
            self.fields["value"].required = True
            if indicator.unit:
                self.fields["value"].label = f"실적(연간 누계, {indicator.unit})"
        else:
            del self.fields["value"]
            self.fields["note"].required = True
            self.fields["note"].error_messages["required"] = "정성지표는 추진 실적(내용)을 입력하세요."
            self.fields["note"].help_text = "평가 등급은 성과관리팀이 실적을 확인할 때 매깁니다."


class ActualAcceptForm(KoreanForm):
    level = forms.ChoiceField(label="정성 평가 등급", required=False)

    def __init__(self, *args: Any, scheme: Scheme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["level"]).choices = [("", "선택")] + [
            (lv["label"], f"{lv['label']} ({lv['points']}점)") for lv in scheme.levels
        ]
        self.fields["level"].error_messages["invalid_choice"] = "척도에 있는 등급을 고르세요."


class CommentForm(KoreanForm):
    comment = forms.CharField(
        label="보완 요청 사유",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "보완 요청 사유를 입력하세요."},
    )


class ReasonForm(KoreanForm):
    reason = forms.CharField(
        label="확정 취소 사유",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "확정 취소 사유를 입력하세요."},
    )


class CommonTaskForm(KoreanForm):
    name = forms.CharField(label="공통과제", max_length=100, error_messages={"required": "공통과제 이름을 입력하세요."})
    max_points = _decimal_field("만점", min_value=Decimal("0.01"), max_value=100)


class AdjustmentForm(KoreanForm):
    department = forms.TypedChoiceField(
        label="부서", coerce=int, error_messages={"required": "부서를 고르세요."}, widget=QuickSelect
    )
    kind = forms.ChoiceField(label="구분", choices=AdjustmentKind.choices)
    points = _decimal_field("점수", min_value=Decimal("0.01"), max_value=20)
    reason = forms.CharField(label="사유", max_length=300, error_messages={"required": "사유를 입력하세요."})

    def __init__(self, *args: Any, departments: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["department"]).choices = [("", "선택"), *departments]
        for name in ("department", "kind"):
            self.fields[name].error_messages["invalid_choice"] = "목록에 있는 값을 고르세요."


class PreparedChoices(BaseChoiceIterator):
    """Flat ``(value, label)`` choices that several fields share as they are: Django walks a plain
    list again for each field and its widget it is set on (a thousand indicators, three times)."""

    def __init__(self, choices: list[tuple[Any, Any]]) -> None:
        self.choices = choices

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)


class WhatIfForm(KoreanForm):
    """Changes to try: up to three indicator actuals/levels/weights and the item weights."""

    weight_indicator = _decimal_field("항목 1 배점", required=False, min_value=0, max_value=100)
    weight_customer = _decimal_field("항목 2 배점", required=False, min_value=0, max_value=100)
    weight_common = _decimal_field("항목 3 배점", required=False, min_value=0, max_value=100)

    def __init__(
        self, *args: Any, indicators: list[tuple[int, str]], levels: list[dict[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.levels = {lv["label"]: Decimal(lv["points"]) for lv in levels}
        indicator_choices = PreparedChoices([("", "선택 안 함"), *indicators])  # a thousand, for every row
        for i in range(CHANGE_ROWS):
            field = forms.TypedChoiceField(
                label=f"변경 {i + 1}: 지표", coerce=int, empty_value=None, required=False, widget=QuickSelect
            )
            field.choices = indicator_choices
            field.error_messages["invalid_choice"] = "목록에 있는 지표를 고르세요."
            self.fields[f"indicator_{i}"] = field
            self.fields[f"actual_{i}"] = _decimal_field(f"변경 {i + 1}: 실적", required=False)
            level = forms.ChoiceField(label=f"변경 {i + 1}: 정성 등급", required=False)
            level.choices = [("", "그대로"), *[(k, f"{k} ({scoring.fmt(v)}점)") for k, v in self.levels.items()]]
            level.error_messages["invalid_choice"] = "척도에 있는 등급을 고르세요."
            self.fields[f"level_{i}"] = level
            self.fields[f"weight_{i}"] = _decimal_field(
                f"변경 {i + 1}: 지표 가중치", required=False, min_value=Decimal("0.01"), max_value=100
            )

    def change_rows(self) -> list[tuple[Any, Any, Any, Any]]:
        return [
            (self[f"indicator_{i}"], self[f"actual_{i}"], self[f"level_{i}"], self[f"weight_{i}"])
            for i in range(CHANGE_ROWS)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        weights = [data.get(n) for n in ("weight_indicator", "weight_customer", "weight_common")]
        if any(w is not None for w in weights):
            if any(w is None for w in weights):
                self.add_error("weight_indicator", "항목 배점을 바꾸려면 세 항목을 모두 입력하세요.")
            elif sum(cast(list[Decimal], weights), Decimal(0)) != 100:
                self.add_error("weight_indicator", "항목 배점의 합은 100점이어야 합니다.")
        seen = set()
        for i in range(CHANGE_ROWS):
            indicator = data.get(f"indicator_{i}")
            values = [data.get(f"actual_{i}"), data.get(f"level_{i}") or None, data.get(f"weight_{i}")]
            if indicator is None:
                if any(v is not None for v in values):
                    self.add_error(f"indicator_{i}", "바꿀 지표를 고르세요.")
                continue
            if indicator in seen:
                self.add_error(f"indicator_{i}", "같은 지표를 두 번 골랐습니다.")
            seen.add(indicator)
            if all(v is None for v in values):
                self.add_error(f"indicator_{i}", "실적, 정성 등급, 가중치 중 하나는 바꿔야 합니다.")
        return data

    def changes(self) -> list[scoring.Change]:
        d = self.cleaned_data
        out = []
        for i in range(CHANGE_ROWS):
            indicator = d.get(f"indicator_{i}")
            if indicator is None:
                continue
            level = d.get(f"level_{i}") or ""
            out.append(
                scoring.Change(
                    indicator_id=indicator,
                    actual=d.get(f"actual_{i}"),
                    level=level,
                    level_points=self.levels.get(level) if level else None,
                    weight=d.get(f"weight_{i}"),
                )
            )
        return out

    def item_weights(self) -> tuple[Decimal, Decimal, Decimal] | None:
        d = self.cleaned_data
        weights = (d.get("weight_indicator"), d.get("weight_customer"), d.get("weight_common"))
        if any(w is None for w in weights):
            return None
        return cast(tuple[Decimal, Decimal, Decimal], weights)

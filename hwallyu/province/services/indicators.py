"""Indicators: import of the province's list, create, edit and delete."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max

from hwallyu.api.base import ServiceError
from hwallyu.core.audit import diff, log_action, snapshot
from hwallyu.org.models import Department
from hwallyu.province.importers import (
    CODE_RE,
    COL_CODE,
    COL_KIND,
    ImportFileError,
    IndicatorRow,
    RowError,
    indicator_rule_errors,
)
from hwallyu.province.models import Actual, EvaluationYear, Indicator, IndicatorType
from hwallyu.province.policies import indicator_policy

AUDIT_FIELDS = [
    "code",
    "field",
    "policy",
    "name",
    "kind",
    "unit",
    "direction",
    "target",
    "points",
    "evidence_rule",
    "performance_code",
    "prior_profile",
]


@dataclass
class IndicatorInput:
    code: str
    field: str
    name: str
    kind: str
    points: Decimal
    departments: Sequence[Department]
    policy: str = ""
    unit: str = ""
    direction: str = ""
    target: Decimal | None = None
    evidence_rule: str = ""
    performance_code: str = ""
    prior_profile: list[Decimal | None] = dataclass_field(default_factory=list)


def _profile_json(values: Sequence[Decimal | None]) -> list[str | None]:
    if not values:
        return []
    if len(values) != 12:
        raise ServiceError("전년도 월별 누계는 1~12월 12개 값이어야 합니다(모르는 달은 비워 두세요).")
    return [None if v is None else str(v) for v in values]


def _validate(data: IndicatorInput) -> None:
    data.code = data.code.strip()
    data.name = data.name.strip()
    data.field = data.field.strip()
    if not data.code or not data.name or not data.field:
        raise ServiceError("지표 코드, 분야, 지표명은 비워 둘 수 없습니다.")
    if len(data.code) > 30 or not CODE_RE.match(data.code):
        raise ServiceError("지표 코드는 30자 이하의 글자·숫자와 - _ . 만 쓸 수 있습니다.")
    if data.kind not in IndicatorType.values:
        raise ServiceError("구분은 정량 또는 정성이어야 합니다.")
    if data.kind == IndicatorType.QUALITATIVE:
        data.direction, data.target = "", None
    errors = indicator_rule_errors(kind=data.kind, direction=data.direction, target=data.target, points=data.points)
    if errors:
        raise ServiceError(" ".join(errors.values()))
    if not data.departments:
        raise ServiceError("담당 부서를 하나 이상 고르세요.")


def _apply(indicator: Indicator, data: IndicatorInput) -> None:
    indicator.code = data.code
    indicator.field = data.field
    indicator.policy = data.policy.strip()
    indicator.name = data.name
    indicator.kind = data.kind
    indicator.unit = data.unit.strip()
    indicator.direction = data.direction
    indicator.target = data.target
    indicator.points = data.points
    indicator.evidence_rule = data.evidence_rule.strip()
    indicator.performance_code = data.performance_code.strip()
    indicator.prior_profile = _profile_json(data.prior_profile)


def _kind_change_blocked(indicator: Indicator, kind: str) -> bool:
    return indicator.kind != kind and Actual.objects.filter(indicator=indicator).exists()


def indicator_create(*, evaluation_year: EvaluationYear, data: IndicatorInput, actor: Any) -> Indicator:
    indicator_policy.check(actor, "manage")
    _validate(data)
    with transaction.atomic():
        EvaluationYear.objects.select_for_update(of=("self",)).get(pk=evaluation_year.pk)
        if Indicator.objects.filter(evaluation_year=evaluation_year, code=data.code).exists():
            raise ServiceError(
                f"지표 코드 {data.code}가 이미 있습니다. 지표 코드는 연도마다 한 번만 쓸 수 있습니다.", 409
            )
        last = Indicator.objects.filter(evaluation_year=evaluation_year).aggregate(m=Max("order"))["m"] or 0
        indicator = Indicator(evaluation_year=evaluation_year, order=last + 1)
        _apply(indicator, data)
        indicator.save()
        indicator.departments.set(data.departments)
        log_action(
            actor=actor,
            action="province.indicator_create",
            target=indicator,
            after={**snapshot(indicator, AUDIT_FIELDS), "departments": [d.code for d in data.departments]},
        )
    return indicator


def indicator_update(*, indicator: Indicator, data: IndicatorInput, actor: Any) -> Indicator:
    indicator_policy.check(actor, "manage", indicator)
    _validate(data)
    with transaction.atomic():
        indicator = (
            Indicator.objects.select_for_update(of=("self",)).select_related("evaluation_year").get(pk=indicator.pk)
        )
        if (
            data.code != indicator.code
            and Indicator.objects.filter(evaluation_year=indicator.evaluation_year, code=data.code).exists()
        ):
            raise ServiceError(f"지표 코드 {data.code}가 이미 있습니다.", 409)
        if _kind_change_blocked(indicator, data.kind):
            raise ServiceError("실적이 입력된 지표는 정량·정성 구분을 바꿀 수 없습니다.", 409)
        before = {
            **snapshot(indicator, AUDIT_FIELDS),
            "departments": sorted(d.code for d in indicator.departments.all()),
        }
        _apply(indicator, data)
        indicator.save(update_fields=[*AUDIT_FIELDS, "updated_at"])
        indicator.departments.set(data.departments)
        after = {**snapshot(indicator, AUDIT_FIELDS), "departments": sorted(d.code for d in data.departments)}
        b, a = diff(before, after)
        if a:
            log_action(actor=actor, action="province.indicator_update", target=indicator, before=b, after=a)
    return indicator


def indicator_delete(*, indicator: Indicator, actor: Any) -> None:
    indicator_policy.check(actor, "manage", indicator)
    with transaction.atomic():
        indicator = Indicator.objects.select_for_update(of=("self",)).get(pk=indicator.pk)
        if indicator.actuals.exists() or indicator.writeups.exists():
            raise ServiceError("실적이나 우수사례가 있는 지표는 삭제할 수 없습니다.", 409)
        log_action(
            actor=actor,
            action="province.indicator_delete",
            target=indicator,
            before={**snapshot(indicator, AUDIT_FIELDS), "departments": [d.code for d in indicator.departments.all()]},
        )
        indicator.delete()


@dataclass(frozen=True)
class ImportSummary:
    created: list[str]
    updated: list[str]
    counts: dict[str, int]
    dry_run: bool = False

    @property
    def total(self) -> int:
        return len(self.created) + len(self.updated)


def indicators_import(
    *, evaluation_year: EvaluationYear, rows: Sequence[IndicatorRow], actor: Any, dry_run: bool = False
) -> ImportSummary:
    """Add the list's indicators to the year and update those whose code exists (all or nothing).

    Indicators of the year missing from the file are kept.  A row that would turn an indicator
    with actuals into the other type refuses the whole file."""
    indicator_policy.check(actor, "import")
    with transaction.atomic():
        EvaluationYear.objects.select_for_update(of=("self",)).get(pk=evaluation_year.pk)
        existing = {i.code: i for i in Indicator.objects.filter(evaluation_year=evaluation_year)}
        with_actuals = set(
            Actual.objects.filter(indicator__evaluation_year=evaluation_year).values_list("indicator__code", flat=True)
        )
        errors = [
            RowError(row.row, COL_KIND, f"{row.code}는 실적이 입력된 지표라 정량·정성 구분을 바꿀 수 없습니다.")
            for row in rows
            if row.code in existing and existing[row.code].kind != row.kind and row.code in with_actuals
        ]
        if errors:
            raise ImportFileError(f"지표 목록에 오류가 {len(errors)}건 있어 아무것도 저장하지 않았습니다.", errors)
        created: list[str] = []
        updated: list[str] = []
        order = max([i.order for i in existing.values()] + [0])
        for row in rows:
            data = IndicatorInput(
                code=row.code,
                field=row.field,
                policy=row.policy,
                name=row.name,
                kind=row.kind,
                unit=row.unit,
                direction=row.direction,
                target=row.target,
                points=row.points,
                departments=list(row.departments),
                evidence_rule=row.evidence_rule,
                performance_code=row.performance_code,
            )
            try:
                _validate(data)
            except ServiceError as exc:
                raise ImportFileError(
                    "지표 목록에 오류가 있어 아무것도 저장하지 않았습니다.", [RowError(row.row, COL_CODE, exc.message)]
                )
            indicator = existing.get(row.code)
            if dry_run:
                (updated if indicator else created).append(row.code)
                continue
            if indicator is None:
                order += 1
                indicator = Indicator(evaluation_year=evaluation_year, order=order)
                _apply(indicator, data)
                indicator.save()
                created.append(row.code)
            else:
                profile = indicator.prior_profile
                _apply(indicator, data)
                indicator.prior_profile = profile  # the list carries no profile: keep the one typed in
                indicator.save(update_fields=[*AUDIT_FIELDS, "updated_at"])
                updated.append(row.code)
            indicator.departments.set(data.departments)
        counts = {"quantitative": 0, "qualitative": 0}
        kinds = {i.code: i.kind for i in existing.values()}
        kinds.update({row.code: row.kind for row in rows})
        for kind in kinds.values():
            counts[kind] += 1
        if not dry_run:
            log_action(
                actor=actor,
                action="province.indicators_import",
                target=evaluation_year,
                after={"created": created, "updated": updated, "counts": counts},
            )
    return ImportSummary(created=created, updated=updated, counts=counts, dry_run=dry_run)

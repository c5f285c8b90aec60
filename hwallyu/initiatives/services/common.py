"""Shared machinery of the initiative services: Korean errors, typed input and one write path.

Every write goes through :func:`create`, :func:`update` or :func:`delete`: inside one transaction
they check the policy, coerce and validate each field by the model's own metadata (labels,
lengths, choices — given as code or Korean label), run the part's own rule, save with
``update_fields`` and write one audit row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from hwallyu.api.base import ServiceError
from hwallyu.core.audit import diff, log_action, snapshot
from hwallyu.initiatives.models import Initiative
from hwallyu.initiatives.policies import MANAGE, initiatives

M = TypeVar("M", bound=models.Model)
Check = Callable[[Any], None]


class InitiativeError(ServiceError):
    """A rule refused the input; ``field`` names the form field the message belongs to."""

    def __init__(self, message: str, *, field: str = "", status: int = 422) -> None:
        super().__init__(message, status)
        self.field = field


def model_field(model: type[models.Model], name: str) -> Any:
    """The concrete field ``name`` of ``model`` (typed loosely: the stubs return a union)."""
    return model._meta.get_field(name)


def label_of(model: type[models.Model], name: str) -> str:
    return str(model_field(model, name).verbose_name)


def parse_choice(choices: Any, value: Any, label: str, *, field: str = "") -> str:
    """The code of ``value`` given as a code or as its Korean label ("참여의향서" → "loi")."""
    wanted = str(value if value is not None else "").strip()
    for code, text in choices.choices:
        if wanted in (code, str(text)):
            return str(code)
    allowed = ", ".join(str(text) for _, text in choices.choices)
    raise InitiativeError(f"{label} '{wanted}'은(는) 허용되지 않는 값입니다. 가능한 값: {allowed}", field=field)


def _parse_date(value: Any, label: str, name: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InitiativeError(f"{label}: 날짜 형식(예: 2024-05-31)이 아닙니다.", field=name)


def coerce(model: type[models.Model], name: str, value: Any) -> Any:
    """``value`` as the Python value of ``model.name``, or InitiativeError with a Korean reason."""
    field = model_field(model, name)
    label = str(field.verbose_name)
    empty = value is None or (isinstance(value, str) and not value.strip())
    if isinstance(field, models.ManyToManyField):
        return list(value or [])
    if empty and not isinstance(field, models.BooleanField):
        if isinstance(field, models.CharField | models.TextField) and field.blank:
            return ""
        if field.null:
            return None
        raise InitiativeError(f"{label}을(를) 입력하세요.", field=name)
    if isinstance(field, models.ForeignKey):
        related: Any = field.related_model
        if not isinstance(value, related):
            raise InitiativeError(f"{label}이(가) 올바르지 않습니다.", field=name)
        return value
    if isinstance(field, models.BooleanField):
        if isinstance(value, str):
            return value.strip().lower() in {"1", "true", "yes", "on", "예"}
        return bool(value)
    if isinstance(field, models.DateField):
        return _parse_date(value, label, name)
    if isinstance(field, models.DecimalField):
        try:
            number = Decimal(str(value).replace(",", "").strip())
        except InvalidOperation:
            raise InitiativeError(f"{label}: 숫자가 아닙니다.", field=name)
        if not number.is_finite() or number != number.quantize(Decimal(1).scaleb(-field.decimal_places)):
            raise InitiativeError(f"{label}: 소수점 {field.decimal_places}자리까지 입력할 수 있습니다.", field=name)
        if number.adjusted() >= field.max_digits - field.decimal_places:
            raise InitiativeError(f"{label}: 값이 너무 큽니다.", field=name)
        return number
    if isinstance(field, models.IntegerField):  # includes BigIntegerField and the positive kinds
        if isinstance(value, bool):
            raise InitiativeError(f"{label}: 정수가 아닙니다.", field=name)
        try:
            whole = int(value)
        except (TypeError, ValueError):
            raise InitiativeError(f"{label}: 정수가 아닙니다.", field=name)
        if whole < 0:
            raise InitiativeError(f"{label}: 0 이상이어야 합니다.", field=name)
        limit = 32767 if isinstance(field, models.PositiveSmallIntegerField) else 10**15
        if whole > limit:
            raise InitiativeError(f"{label}: 값이 너무 큽니다.", field=name)
        return whole
    if isinstance(field, models.CharField | models.TextField):
        text = str(value).strip()
        if field.choices:
            return _choice(field, text, label, name)
        if field.max_length and len(text) > field.max_length:
            raise InitiativeError(f"{label}은(는) {field.max_length}자 이하로 입력하세요.", field=name)
        try:
            field.run_validators(text)
        except ValidationError as exc:
            raise InitiativeError(f"{label}: {' '.join(exc.messages)}", field=name)
        return text
    return value


def _choice(field: models.Field, text: str, label: str, name: str) -> str:
    for code, shown in field.choices or []:
        if text in (str(code), str(shown)):
            return str(code)
    allowed = ", ".join(str(shown) for _, shown in field.choices or [])
    raise InitiativeError(f"{label} '{text}'은(는) 허용되지 않는 값입니다. 가능한 값: {allowed}", field=name)


def coerce_all(model: type[models.Model], fields: Mapping[str, Any], editable: Iterable[str]) -> dict[str, Any]:
    allowed = set(editable)
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise InitiativeError(f"바꿀 수 없는 항목입니다: {', '.join(unknown)}")
    return {name: coerce(model, name, value) for name, value in fields.items()}


def check_unique(obj: models.Model) -> None:
    """The model's unique constraints, answered in Korean before the database refuses."""
    model = type(obj)
    groups = [[f.name] for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.condition is None:
            groups.append(list(constraint.fields))
    for names in groups:
        lookup = {}
        for name in names:
            field = model_field(model, name)
            lookup[field.attname] = getattr(obj, field.attname)
        qs = model._default_manager.filter(**lookup)
        if obj.pk is not None:
            qs = qs.exclude(pk=obj.pk)
        if qs.exists():
            last = names[-1]
            label = label_of(model, last)
            raise InitiativeError(f"같은 {label} '{getattr(obj, last)}'이(가) 이미 있습니다.", field=last)


def _audit_names(model: type[models.Model], names: Iterable[str]) -> list[str]:
    result = []
    for name in names:
        field = model_field(model, name)
        if isinstance(field, models.ManyToManyField):
            continue
        result.append(field.attname)
    return result


def department_of(initiative: Initiative) -> Any:
    return initiative.team.department if initiative.team_id else None


def require_manage(actor: Any, initiative: Initiative | None = None) -> None:
    initiatives.check(actor, MANAGE, initiative)


def create(
    model: type[M],
    *,
    initiative: Initiative,
    actor: Any,
    fields: Mapping[str, Any],
    editable: Iterable[str],
    action: str,
    parent: Mapping[str, Any] | None = None,
    check: Check | None = None,
    defaults: Mapping[str, Any] | None = None,
) -> M:
    require_manage(actor, initiative)
    editable = tuple(editable)
    values = {**(defaults or {}), **coerce_all(model, fields, editable)}
    for name in editable:
        if name not in values and not model_field(model, name).has_default():
            values[name] = coerce(model, name, None)  # required ones answer "…을(를) 입력하세요"
    m2m = {k: v for k, v in values.items() if isinstance(model_field(model, k), models.ManyToManyField)}
    plain = {k: v for k, v in values.items() if k not in m2m}
    with transaction.atomic():
        obj = model(**(parent or {}), **plain)
        check_unique(obj)
        if check is not None:
            check(obj)
        obj.save()
        for name, items in m2m.items():
            getattr(obj, name).set(items)
        log_action(
            actor=actor,
            action=f"{action}.create",
            target=obj,
            department=department_of(initiative),
            after={**snapshot(obj, _audit_names(model, plain)), **{k: [str(i) for i in v] for k, v in m2m.items()}},
        )
    return obj


def update(
    obj: M,
    *,
    initiative: Initiative,
    actor: Any,
    fields: Mapping[str, Any],
    editable: Iterable[str],
    action: str,
    check: Check | None = None,
) -> M:
    require_manage(actor, initiative)
    model = type(obj)
    values = coerce_all(model, fields, editable)
    m2m = {k: v for k, v in values.items() if isinstance(model_field(model, k), models.ManyToManyField)}
    plain = {k: v for k, v in values.items() if k not in m2m}
    names = _audit_names(model, plain)
    with transaction.atomic():
        before = snapshot(obj, names)
        m2m_before = {k: sorted(str(i) for i in getattr(obj, k).all()) for k in m2m}
        for name, value in plain.items():
            setattr(obj, name, value)
        check_unique(obj)
        if check is not None:
            check(obj)
        update_fields = [model_field(model, n).name for n in plain]
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            update_fields.append("updated_at")
        if update_fields:
            obj.save(update_fields=update_fields)
        for name, items in m2m.items():
            getattr(obj, name).set(items)
        b, a = diff(before, snapshot(obj, names))
        for name, items in m2m.items():
            now = sorted(str(i) for i in items)
            if now != m2m_before[name]:
                b[name], a[name] = m2m_before[name], now
        log_action(
            actor=actor, action=f"{action}.update", target=obj, department=department_of(initiative), before=b, after=a
        )
    return obj


def delete(obj: models.Model, *, initiative: Initiative, actor: Any, action: str, check: Check | None = None) -> None:
    require_manage(actor, initiative)
    model = type(obj)
    with transaction.atomic():
        if check is not None:
            check(obj)
        before = snapshot(obj, [f.attname for f in model._meta.concrete_fields])
        target_id, target_repr = obj.pk, str(obj)
        obj.delete()
        log_action(
            actor=actor,
            action=f"{action}.delete",
            target_type=model._meta.label_lower,
            target_id=target_id,
            target_repr=target_repr,
            department=department_of(initiative),
            before=before,
        )

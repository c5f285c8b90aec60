"""The router of the initiatives API, schemas built from the models, serialisation and look-ups."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.http import Http404, HttpRequest
from ninja import Router, Schema
from pydantic import create_model

from hwallyu.api.base import ServiceError
from hwallyu.initiatives.models import (
    Initiative,
)
from hwallyu.initiatives.policies import initiatives
from hwallyu.initiatives.services.common import model_field

router = Router(tags=["전략사업"])


# --- schemas built from the models ------------------------------------------------------------


def _python_type(field: models.Field) -> Any:
    if isinstance(field, models.BooleanField):
        return bool
    if isinstance(field, models.DateField):
        return dt.date
    if isinstance(field, models.DecimalField):
        return Decimal
    if isinstance(field, models.IntegerField):
        return int
    return str


def out_schema(name: str, model: type[models.Model], names: Iterable[str], **extra: Any) -> type[Schema]:
    fields: dict[str, Any] = {"id": (int, ...)}
    for field_name in names:
        field = model_field(model, field_name)
        if isinstance(field, models.ForeignKey):
            fields[f"{field_name}_id"] = (int | None, None)
            continue
        kind = _python_type(field)
        fields[field_name] = (kind | None, None) if field.null else (kind, ...)
        if field.choices:
            fields[f"{field_name}_label"] = (str, ...)
    fields.update(extra)
    return create_model(name, __base__=Schema, **fields)


def in_schema(
    name: str, model: type[models.Model], names: Iterable[str], *, required: Iterable[str] = (), patch: bool = False
) -> type[Schema]:
    must = set(required)
    fields: dict[str, Any] = {}
    for field_name in names:
        field = model_field(model, field_name)
        if isinstance(field, models.ForeignKey):
            fields[f"{field_name}_id"] = (int | None, None)
            continue
        kind = _python_type(field)
        if field_name in must and not patch:
            fields[field_name] = (kind, ...)
        else:
            fields[field_name] = (kind | None, None)
    return create_model(name, __base__=Schema, **fields)


def serialize(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    data: dict[str, Any] = {"id": obj.pk}
    for field_name in names:
        field = model_field(type(obj), field_name)
        if isinstance(field, models.ForeignKey):
            data[f"{field_name}_id"] = getattr(obj, field.attname)
            continue
        data[field_name] = getattr(obj, field_name)
        if field.choices:
            data[f"{field_name}_label"] = getattr(obj, f"get_{field_name}_display")()
    return data


# --- lookups -------------------------------------------------------------------------------------


def initiative_or_404(request: HttpRequest, initiative_id: int) -> Initiative:
    initiative = (
        initiatives.scope(request.user).select_related("team", "team__department").filter(pk=initiative_id).first()
    )
    if initiative is None:
        raise Http404
    return initiative


def payload_fields(payload: Schema, *, patch: bool) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True)
    if patch:
        return data
    return {k: v for k, v in data.items() if v is not None}


def active_user(user_id: int | None) -> Any:
    if user_id is None:
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ServiceError(f"사용자 {user_id}을(를) 찾을 수 없습니다.")
    return user

"""The version of the evaluation's inputs: a token that changes with anything the evaluation reads.

``selectors.live_result`` caches the scored live result under the token, so the results page does
not re-score every department on every view.  The token changes in the same transaction as the
change itself (a rolled-back change leaves it as it was):

* every save and delete of a model the evaluation reads sends Django's model signals, and
  :func:`connect` bumps the token on each of them (deletes by cascade send them too);
* the few services that insert in bulk (``bulk_create`` sends no signal) call :func:`bump` themselves,
  and so do the benchmark and demo loaders.

A reader takes the token *before* it reads the inputs, so what it caches under a token is never
older than that token; a later change gives a new token and the cached entry is never read again.
Without the row (an emptied database) there is no token and nothing is cached."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models.signals import post_delete, post_save

from hwallyu.org.models import Department
from hwallyu.performance.models import (
    Actual,
    Adjustment,
    CommonTask,
    CommonTaskScore,
    CustomerScore,
    Indicator,
    IndicatorSet,
    InputsVersion,
    Scheme,
    SchemeGroup,
)

# What ``selectors.evaluation_inputs`` and ``selectors.rules_of`` read (departments: their code and name).
WATCHED = (
    Scheme,
    SchemeGroup,
    IndicatorSet,
    Indicator,
    Actual,
    CustomerScore,
    CommonTask,
    CommonTaskScore,
    Adjustment,
    Department,
)
ROW = 1


def current() -> str | None:
    """The token now (one query), or None when there is none (then results are not cached)."""
    token: str | None = InputsVersion.objects.filter(pk=ROW).values_list("token", flat=True).first()
    return token


def bump() -> None:
    """A new token: call inside the transaction that changed an input."""
    token = uuid.uuid4().hex
    if not InputsVersion.objects.filter(pk=ROW).update(token=token):
        InputsVersion.objects.update_or_create(pk=ROW, defaults={"token": token})


def _changed(sender: Any, **kwargs: Any) -> None:
    bump()


def connect() -> None:
    for model in WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"performance-inputs-save-{model._meta.label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"performance-inputs-delete-{model._meta.label}")

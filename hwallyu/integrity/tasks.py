"""Periodic jobs: erase closed cases past retention, tell handlers about overdue steps."""

from __future__ import annotations

from django_tasks import task

from hwallyu.integrity.services import cases


@task()
def integrity_retention_sweep() -> int:
    return cases.cases_erase_expired()


@task()
def integrity_overdue_sweep() -> int:
    return cases.cases_notify_overdue()


@task()
def integrity_recompute_due() -> int:
    return cases.steps_recompute_due()

"""Background jobs of the province evaluation (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def sweep_province_reminders() -> dict[str, int]:
    """Reminders before the monthly, qualitative and quantitative deadlines; safe to rerun."""
    from hwallyu.province.reminders import sweep

    result = sweep()
    return {"reminders": result.reminders, "overdue": result.overdue}


@task()
def recompute_province_deadlines() -> int:
    """After a calendar change: recompute the deadlines that have not passed."""
    from hwallyu.province.services import deadlines_recompute_all

    return deadlines_recompute_all()

"""Background jobs of the directives module (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def sweep_directive_reminders() -> dict[str, int]:
    """D-1 and on-the-day reminders and overdue escalations; safe to rerun and to run twice at once."""
    from hwallyu.directives.reminders import sweep

    result = sweep()
    return {"reminders": result.reminders, "escalations": result.escalations}


@task()
def recompute_directive_due_times() -> int:
    """After a calendar change: recompute the due times that have not passed."""
    from hwallyu.directives.services import directives_recompute_due

    return directives_recompute_due()

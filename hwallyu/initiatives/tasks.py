"""Background tasks of strategic initiatives."""

from django_tasks import task

from hwallyu.initiatives import reminders


@task()
def milestone_reminder_sweep() -> int:
    return reminders.sweep()

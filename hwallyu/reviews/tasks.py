"""Background tasks of the review analysis."""

from django_tasks import task

from hwallyu.reviews import reminders


@task()
def review_reminder_sweep() -> int:
    return reminders.sweep()

"""Background delivery of the outbox."""

from django_tasks import task

from hwallyu.notifications import services


@task()
def deliver_outbox() -> int:
    return services.deliver_pending()


@task()
def release_stuck_messages() -> int:
    return services.release_stuck()

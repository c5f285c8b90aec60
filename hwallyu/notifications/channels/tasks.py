"""Background delivery of AlimTalk/SMS messages and collection of their results."""

from django_tasks import task

from hwallyu.notifications.channels import outbox


@task()
def deliver_citizen_messages() -> int:
    return outbox.deliver_due()


@task()
def poll_delivery_results() -> int:
    return outbox.poll_results()

"""Two people (or two workers) at once: numbers stay gapless and unique, notices are sent once.

These tests commit for real (transactional database) and run the writers in threads, each
with its own database connection.
"""

import datetime as dt
import threading
import time
import traceback

import pytest
from django.db import OperationalError, connection, connections

from hwallyu.directives import services
from hwallyu.directives.models import Directive, DirectiveCounter
from hwallyu.directives.reminders import sweep
from hwallyu.notifications.models import Notification

from .conftest import at, make_directive

pytestmark = pytest.mark.django_db(transaction=True)


def run_in_threads(target, count):
    barrier = threading.Barrier(count)
    errors = []
    results = []

    def worker(index):
        try:
            barrier.wait(timeout=10)
            for _ in range(200):
                try:
                    results.append(target(index))
                    return
                except OperationalError as exc:
                    # The in-memory SQLite test database (shared cache) answers a concurrent writer with
                    # "table is locked" at once instead of waiting (busy_timeout) as the file database
                    # does; the transaction was rolled back, so trying again is what waiting would do.
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.02)
            raise AssertionError("still locked after 200 tries")
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append("".join(traceback.format_exception(exc)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results, errors


def test_concurrent_registration_gives_gapless_unique_numbers(org, clock):
    clock(at(2024, 9, 13, 10))
    make_directive(org, title="먼저 등록")

    def register(index):
        return make_directive(org, title=f"동시 등록 {index}").number

    numbers, errors = run_in_threads(register, 4)
    assert not errors
    assert sorted(numbers) == ["2024-0002", "2024-0003", "2024-0004", "2024-0005"]
    assert DirectiveCounter.objects.get(year=2024).last == 5
    assert Directive.objects.filter(year=2024).count() == 5


def test_a_refused_registration_leaves_no_gap(org, clock):
    clock(at(2024, 9, 13, 10))
    make_directive(org)
    with pytest.raises(services.ServiceError):
        make_directive(org, given_by="이장")
    assert make_directive(org, title="다음").number == "2024-0002"


def test_two_workers_sweeping_at_once_send_one_notice(org, clock):
    clock(at(2024, 9, 13, 10))
    make_directive(org, share_at=at(2024, 9, 13, 10))
    clock(at(2024, 9, 23, 11))  # first report overdue

    results, errors = run_in_threads(lambda _: sweep(now=at(2024, 9, 23, 11)), 2)
    assert not errors
    assert sum(r.escalations for r in results) == 1
    assert Notification.objects.filter(kind="directive.overdue", recipient=org.manager).count() == 1
    assert Notification.objects.filter(kind="directive.overdue", recipient=org.planner).count() == 1
    assert connection.vendor in {"sqlite", "postgresql"}


def test_two_workers_reminding_at_once_send_one_reminder(org, clock):
    clock(at(2024, 9, 13, 10))
    make_directive(org, share_at=at(2024, 9, 13, 10))
    moment = at(2024, 9, 20, 10, 30)  # D-1 working day before 2024-09-23 10:00
    clock(moment)
    results, errors = run_in_threads(lambda _: sweep(now=moment), 2)
    assert not errors
    assert sum(r.reminders for r in results) == 1
    assert Notification.objects.filter(kind="directive.reminder.d1", recipient=org.staff).count() == 1
    assert dt.timedelta(0) < at(2024, 9, 23, 10) - moment

"""Register import outside a transaction, as the worker runs it: on PostgreSQL the staged batches are added on a
second connection while the file is still being read (``importer.Promoter``). The guarantees of the import stay:
file order, nothing twice, a bad file or a failure saves nothing, a crashed worker resumes.

These tests commit (``transaction=True``), so the second connection sees what the reader staged; on SQLite they
run the same import one step after the other.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count

from hwallyu.surveys import importer, services
from hwallyu.surveys.models import RegisterEntry, RegisterImport, RegisterStaging
from hwallyu.surveys.tests.conftest import crash_after_batches, csv_bytes, register_rows, upload

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _worker_later(monkeypatch: Any) -> None:
    """Uploads are not handed to the (immediate, in tests) task backend: each test runs the worker's step itself."""
    monkeypatch.setattr(services, "_enqueue_import", lambda import_id: None)


def _create(survey: Any, org: Any, rows: list[list[str]]) -> RegisterImport:
    return services.import_create(survey=survey, source="petition", upload=upload(csv_bytes(rows)), actor=org.auditor)


def test_an_upload_is_imported_by_the_task(survey, org, monkeypatch) -> None:
    monkeypatch.undo()  # the real hand-over: the import task runs after the upload's commit
    record = _create(survey, org, register_rows(12))
    record.refresh_from_db()
    assert (record.status, record.rows_added) == ("done", 12), record.message
    assert RegisterEntry.objects.count() == 12


def test_the_worker_promotes_while_reading_on_postgresql_only() -> None:
    assert importer.pipelined() == (connection.vendor == "postgresql")


def test_batches_are_added_in_file_order_once_and_audited(survey, org) -> None:
    rows = register_rows(23)
    record = importer.run(_create(survey, org, rows).id, batch_size=5)
    assert (record.status, record.rows_read, record.rows_added) == ("done", 23, 23), record.message
    assert list(RegisterEntry.objects.order_by("id").values_list("receipt_no", flat=True)) == [r[0] for r in rows]
    again = importer.run(_create(survey, org, rows).id, batch_size=5)
    assert (again.status, again.rows_added, again.rows_duplicate) == ("done", 0, 23)
    assert RegisterEntry.objects.count() == 23
    from hwallyu.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="surveys.register_import").count() == 2
    assert RegisterStaging.objects.count() == 0  # the rows as read (names, phone numbers) go with the promotion


def test_a_bad_row_late_in_the_file_saves_nothing(survey, org) -> None:
    rows = register_rows(30)
    rows[27][4] = "없는과"  # after five batches were staged (and, on PostgreSQL, added)
    record = importer.run(_create(survey, org, rows).id, batch_size=5)
    assert record.status == "failed" and record.error_count == 1
    assert RegisterEntry.objects.count() == 0
    assert RegisterStaging.objects.count() == 0


def test_a_failure_while_adding_stops_the_reader_and_saves_nothing_then_resumes(survey, org, monkeypatch) -> None:
    rows = register_rows(40)
    record = _create(survey, org, rows)
    real_add = importer._add_batch
    calls = {"n": 0}
    reader = threading.current_thread()
    read_after_failure: list[int] = []

    def failing_add(cursor: Any, sql: str, rec: RegisterImport, batch: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("database went away")
        return real_add(cursor, sql, rec, batch)

    def after_batch(rec: RegisterImport) -> None:
        if calls["n"] >= 3:
            read_after_failure.append(rec.rows_read)

    monkeypatch.setattr(importer, "_add_batch", failing_add)
    monkeypatch.setattr(importer, "after_batch", after_batch)
    with pytest.raises(RuntimeError, match="went away"):
        importer.run(record.id, batch_size=5)
    record.refresh_from_db()
    assert record.status == "running"  # left for a retry, like a crash
    assert RegisterEntry.objects.count() == 0
    if importer.pipelined():
        assert threading.current_thread() is reader
        assert len(read_after_failure) <= 2  # the reader stopped soon after the failure, not at the end of the file

    monkeypatch.setattr(importer, "_add_batch", real_add)
    monkeypatch.setattr(importer, "after_batch", lambda rec: None)
    done = importer.run(record.id, batch_size=5, stale_after=dt.timedelta(0))
    assert (done.status, done.rows_read, done.rows_added) == ("done", 40, 40), done.message
    assert list(RegisterEntry.objects.order_by("id").values_list("receipt_no", flat=True)) == [r[0] for r in rows]


def test_a_crashed_reader_resumes_and_adds_the_earlier_batches_first(survey, org, monkeypatch) -> None:
    rows = register_rows(25)
    record = _create(survey, org, rows)
    crash_after_batches(monkeypatch, 2)
    with pytest.raises(SystemExit):
        importer.run(record.id, batch_size=5)
    assert RegisterStaging.objects.filter(register_import_id=record.id).count() == 2
    assert RegisterEntry.objects.count() == 0  # the promoter's transaction rolled back with the reader

    monkeypatch.setattr(importer, "after_batch", lambda rec: None)
    done = importer.run(record.id, batch_size=5, stale_after=dt.timedelta(0))
    assert (done.status, done.rows_read, done.rows_added) == ("done", 25, 25)
    assert list(RegisterEntry.objects.order_by("id").values_list("receipt_no", flat=True)) == [r[0] for r in rows]
    assert RegisterStaging.objects.count() == 0


def test_each_row_remembers_its_upload_and_deletes_follow_the_models_rules(survey, org) -> None:
    """The row's link to its upload has no database constraint (see ``RegisterEntry.register_import``): the
    ORM's rules still hold — an upload deleted on its own leaves its rows unlinked, a round takes both with it."""
    first = importer.run(_create(survey, org, register_rows(6)).id, batch_size=4)
    rows = register_rows(10)
    second = importer.run(_create(survey, org, rows).id, batch_size=4)  # 6 already there, 4 new
    assert (second.rows_added, second.rows_duplicate) == (4, 6)
    by_import = dict(
        RegisterEntry.objects.values_list("register_import_id")
        .annotate(n=Count("id"))
        .values_list("register_import_id", "n")
    )
    assert by_import == {first.id: 6, second.id: 4}

    first.delete()
    assert RegisterEntry.objects.count() == 10
    assert RegisterEntry.objects.filter(register_import__isnull=True).count() == 6

    survey.delete()
    assert RegisterEntry.objects.count() == 0 and RegisterImport.objects.count() == 0

"""The audit trail's hash chain: intact chains verify, tampering and deletion are found."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from hwallyu.core.audit import log_action, verify_chain
from hwallyu.core.models import AuditEvent


def _chain(org, n=5):
    return [
        log_action(
            actor=org.planner,
            action="test.update",
            target=org.dept,
            department=org.dept,
            before={"name": f"이름 {i}"},
            after={"name": f"이름 {i + 1}"},
        )
        for i in range(n)
    ]


def _raw_update_after(event_id, value):
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    json_param = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET after = {json_param} WHERE id = %s", [json.dumps(value), event_id])


def _raw_delete(event_id):
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [event_id])


def test_a_chain_of_rows_verifies(org):
    events = _chain(org)
    report = verify_chain()
    assert report.ok
    assert report.checked == len(events)
    assert events[1].prev_hash == events[0].hash
    assert events[0].actor_name == "planner (planner)"
    assert events[0].department_name == "미래전략과"


def test_small_batches_walk_the_whole_chain(org):
    _chain(org, n=7)
    assert verify_chain(batch=2).checked == 7


def test_tampered_after_is_found_at_that_row(org):
    events = _chain(org)
    _raw_update_after(events[2].id, {"name": "조작된 값"})
    report = verify_chain()
    assert not report.ok
    assert report.broken_id == events[2].id
    assert report.checked == 2
    assert "변조" in report.reason


def test_deleting_the_last_row_is_found(org):
    events = _chain(org)
    _raw_delete(events[-1].id)
    report = verify_chain()
    assert not report.ok
    assert report.broken_id == events[-2].id
    assert "삭제" in report.reason


def test_deleting_a_middle_row_breaks_the_next_link(org):
    events = _chain(org)
    _raw_delete(events[1].id)
    report = verify_chain()
    assert report.broken_id == events[2].id
    assert "연결" in report.reason


def test_rows_cannot_be_changed_or_deleted_through_the_model(org):
    event = _chain(org, n=1)[0]
    event.action = "other"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_audit_verify_command_reports_an_intact_chain(org, capsys):
    _chain(org, n=3)
    call_command("audit_verify")
    assert "3건" in capsys.readouterr().out


def test_audit_verify_command_fails_with_the_row_id(org):
    events = _chain(org)
    _raw_update_after(events[3].id, {"name": "조작"})
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify")
    assert excinfo.value.returncode != 0
    assert f"#{events[3].id}" in str(excinfo.value)


def test_changes_lists_before_and_after_per_field(org):
    event = log_action(actor=org.planner, action="x.update", before={"a": 1, "b": "가"}, after={"a": 2, "c": "나"})
    assert event.changes == [("a", 1, 2), ("b", "가", None), ("c", None, "나")]

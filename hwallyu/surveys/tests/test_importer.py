"""Register import: encodings, row errors, all-or-nothing, re-import, XLSX, crash-resume, fuzz."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hwallyu.surveys import importer, services
from hwallyu.surveys.importer import RowParser
from hwallyu.surveys.models import RegisterEntry, RegisterImport, RegisterStaging
from hwallyu.surveys.tests.conftest import HEADER, crash_after_batches, csv_bytes, register_rows, upload

pytestmark = pytest.mark.django_db


def _import(survey: Any, org: Any, data: bytes, name: str = "register.csv", **kwargs: Any) -> RegisterImport:
    record = services.import_create(survey=survey, source="petition", upload=upload(data, name), actor=org.auditor)
    return importer.run(record.id, **kwargs)


def test_cp949_file_with_a_bad_row_is_refused_whole_and_the_row_and_column_are_named(survey, org) -> None:
    rows = register_rows(30)
    rows[6][2] = "2024-13-45 10:00"  # row 8 of the file (header is row 1)
    rows[20][4] = "없는과"  # row 22
    data = csv_bytes(rows, encoding="cp949")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    record = _import(survey, org, data, batch_size=7)

    assert record.status == "failed"
    assert record.encoding == "cp949"
    assert record.error_count == 2
    assert {(e["row"], e["column"].split("(")[0]) for e in record.errors} == {(8, "처리일시"), (22, "처리부서")}
    assert "C열" in record.errors[0]["column"]
    assert "없는과" in record.errors[1]["message"]
    assert RegisterEntry.objects.count() == 0
    assert RegisterStaging.objects.count() == 0

    rows[6][2] = "2024-03-05 10:00"
    rows[20][4] = "미래전략과"
    fixed = _import(survey, org, csv_bytes(rows, encoding="cp949"))
    assert fixed.status == "done"
    assert fixed.rows_added == 30
    assert RegisterStaging.objects.count() == 0  # the rows as read (names, phone numbers) go with the promotion
    entry = RegisterEntry.objects.get(receipt_no=rows[0][0])
    assert entry.petition_type == rows[0][3]
    assert entry.department == org.dept
    assert entry.phone == rows[0][6] and len(entry.phone_hash) == 64
    assert entry.processed_at.isoformat() == "2024-03-05T06:30:00+00:00"  # 15:30 in Seoul
    assert entry.legal_days == 0


def test_reimporting_the_same_file_adds_nothing_twice(survey, org) -> None:
    data = csv_bytes(register_rows(12), encoding="utf-8-sig")
    first = _import(survey, org, data)
    second = _import(survey, org, data)
    assert (first.rows_added, second.rows_added, second.rows_duplicate) == (12, 0, 12)
    assert "건너뛰었습니다" in second.message
    assert RegisterEntry.objects.count() == 12
    overlapping = _import(survey, org, csv_bytes(register_rows(12, start=6)))
    assert overlapping.rows_added == 6
    assert RegisterEntry.objects.count() == 18


def test_a_receipt_repeated_inside_one_file_is_kept_once(survey, org) -> None:
    rows = register_rows(3)
    rows.append(list(rows[0]))
    record = _import(survey, org, csv_bytes(rows))
    assert (record.status, record.rows_read, record.rows_added, record.rows_duplicate) == ("done", 4, 3, 1)


def test_text_cells_and_file_order_come_through_staging_unchanged(survey, org) -> None:
    # Promotion unpacks the staged JSON in the database (json_each, jsonb_array_elements): quotes,
    # backslashes, escapes, tabs, line breaks and characters outside the BMP must arrive as read,
    # the rows keep the file's order across batches, and of a repeated receipt the first row wins.
    texts = ['따옴표 "인용" \\ 역슬래시', "탭\t포함", "줄\n바꿈", "민원 😀", "\\u0041 그대로", "'작은따옴표', 쉼표"]
    rows = register_rows(len(texts))
    for row, text in zip(rows, texts, strict=True):
        row[3] = text
        row[5] = text
    repeated = list(rows[1])
    repeated[3] = "나중 행"
    rows.insert(4, repeated)
    record = _import(survey, org, csv_bytes(rows), batch_size=2)
    assert (record.status, record.rows_read, record.rows_added, record.rows_duplicate) == ("done", 7, 6, 1)
    entries = list(RegisterEntry.objects.order_by("id"))
    assert [e.receipt_no for e in entries] == [r[0] for r in rows if r is not repeated]
    assert [(e.petition_type, e.applicant) for e in entries] == [(t, t) for t in texts]


def test_a_nul_byte_in_a_cell_is_dropped_not_the_import(survey, org) -> None:
    # PostgreSQL can't store NUL in text; a broken export with one must still import, on both databases.
    rows = register_rows(3)
    rows[1][3] = "건축\x00허가"
    record = _import(survey, org, csv_bytes(rows))
    assert (record.status, record.rows_added) == ("done", 3), record.message
    assert RegisterEntry.objects.filter(petition_type="건축허가").count() == 1


def test_missing_required_column_fails_with_its_name(survey, org) -> None:
    header = [h for h in HEADER if h != "휴대전화"]
    rows = [r[:6] + r[7:] for r in register_rows(2)]
    record = _import(survey, org, csv_bytes(rows, header=header))
    assert record.status == "failed"
    assert "휴대전화" in record.message


def test_header_aliases_title_rows_blank_lines_and_loose_dates(survey, org) -> None:
    text = (
        "2024년 민원사무처리부 (새올 내려받기)\n"
        "\n"
        "민원접수번호, 신청일시 ,처리완료일시,민원종류,담당부서,신청인,연락처\n"
        "A-1,2024.3.4 9:05,2024. 3. 5. 14:20,여권 발급,미래전략과,김민원,01098765432\n"
        "\n"
        "A-2,,20240306,정보공개청구,D002,이민원,02-123-4567\n"
    )
    record = _import(survey, org, text.encode("utf-8"))
    assert record.status == "done", record.errors
    a1 = RegisterEntry.objects.get(receipt_no="A-1")
    assert a1.phone == "010-9876-5432"
    assert a1.received_at.isoformat() == "2024-03-04T00:05:00+00:00"
    a2 = RegisterEntry.objects.get(receipt_no="A-2")
    assert a2.department == org.other_dept  # matched by department code
    assert a2.phone == "" and a2.phone_hash == ""  # a landline: kept, but never eligible
    assert a2.received_at is None


def test_processed_before_received_is_a_row_error(survey, org) -> None:
    rows = register_rows(2)
    rows[1][1], rows[1][2] = "2024-03-06 10:00", "2024-03-05 10:00"
    record = _import(survey, org, csv_bytes(rows))
    assert record.status == "failed"
    assert record.errors[0]["row"] == 3 and "접수일시보다 빠릅니다" in record.errors[0]["message"]


def test_xlsx_rows_stream_with_typed_cells(survey, org) -> None:
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["계약번호", "계약일", "준공일", "계약건명", "계약부서", "계약상대자", "연락처"])
    ws.append(
        [
            "C-2024-1",
            dt.datetime(2024, 5, 1, 9, 0),
            dt.datetime(2024, 6, 30, 17, 0),
            "도로 보수",
            "미래전략과",
            "(주)논산",
            1023456789,
        ]
    )
    ws.append([20240002, dt.date(2024, 5, 2), "2024-07-01 10:00", "공원 정비", "강경읍", "", "010-3456-7890"])
    buffer = io.BytesIO()
    wb.save(buffer)
    record = services.import_create(
        survey=survey, source="contract", upload=upload(buffer.getvalue(), "계약자.xlsx"), actor=org.auditor
    )
    record = importer.run(record.id)
    assert record.status == "done", (record.message, record.errors)
    assert record.rows_total == 3 and record.percent == 100
    first = RegisterEntry.objects.get(receipt_no="C-2024-1")
    assert first.source == "contract" and first.phone == "010-2345-6789"  # the lost leading zero comes back
    assert RegisterEntry.objects.get(receipt_no="20240002").department == org.other_dept


def test_a_worker_that_crashes_mid_file_resumes_without_duplicates(survey, org, monkeypatch) -> None:
    import datetime as dt

    rows = register_rows(25)
    record = services.import_create(survey=survey, source="petition", upload=upload(csv_bytes(rows)), actor=org.auditor)
    crash_after_batches(monkeypatch, 2)
    with pytest.raises(SystemExit):
        importer.run(record.id, batch_size=5)
    record.refresh_from_db()
    assert record.status == "running" and record.last_row == 11  # two batches of 5 committed (rows 2–11)
    assert RegisterStaging.objects.filter(register_import_id=record.id).count() == 2
    assert RegisterEntry.objects.count() == 0  # nothing visible before the whole file is checked

    monkeypatch.setattr(importer, "after_batch", lambda rec: None)
    assert importer.run(record.id, batch_size=5).status == "running"  # a live worker still holds it
    done = importer.run(record.id, batch_size=5, stale_after=dt.timedelta(0))
    assert done.status == "done"
    assert done.rows_read == 25 and done.rows_added == 25
    assert RegisterEntry.objects.count() == 25
    assert sorted(RegisterEntry.objects.values_list("receipt_no", flat=True)) == sorted(r[0] for r in rows)


def test_progress_is_committed_per_batch(survey, org, monkeypatch) -> None:
    seen: list[tuple[int, int]] = []
    monkeypatch.setattr(importer, "after_batch", lambda rec: seen.append((rec.rows_read, rec.bytes_read)))
    record = _import(survey, org, csv_bytes(register_rows(12)), batch_size=5)
    assert [r for r, _ in seen] == [5, 10, 12]
    assert seen[-1][1] == record.size
    assert 0 < seen[0][1] <= seen[1][1]


DEPARTMENTS = {"미래전략과": 1, "강경읍": 2}
cell = st.one_of(
    st.text(max_size=25), st.sampled_from(["", " ", "2024-03-05 10:00", "010-1234-5678", "미래전략과", "7일"])
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(cell, min_size=0, max_size=10), row_no=st.integers(min_value=2, max_value=10**6))
def test_fuzz_parser_never_crashes_and_names_row_and_column(values: list[str], row_no: int) -> None:
    parser = RowParser(HEADER, DEPARTMENTS)
    result = parser.parse(row_no, values)
    if result is None:
        assert parser.errors
        for error in parser.errors:
            assert error.row == row_no
            assert error.column and "열)" in error.column
            assert error.message
    else:
        assert not parser.errors
        assert result[0] == row_no and result[1]
        assert result[5] in DEPARTMENTS.values()
        assert result[7] == "" or len(result[8]) == 64


@settings(max_examples=100, deadline=None)
@given(
    day=st.dates(
        min_value=__import__("datetime").date(2000, 1, 1), max_value=__import__("datetime").date(2099, 12, 31)
    ),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    sep=st.sampled_from([" ", "T"]),
)
def test_fuzz_fast_and_general_date_paths_agree(day, hour, minute, sep) -> None:
    import datetime as dt

    when = importer.WhenConverter()
    when.sqlite = True
    text = f"{day:%Y-%m-%d}{sep}{hour:02d}:{minute:02d}"
    key, value = when(text)
    local = dt.datetime(day.year, day.month, day.day, hour, minute)
    assert key == local.isoformat(" ")
    assert value == (local - dt.timedelta(hours=9)).isoformat(" ")
    assert when(text + ":00") == (key, value)

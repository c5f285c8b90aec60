"""Register import: CSV (UTF-8 or CP949, detected) and XLSX exports of the petition register
(민원사무처리부) and of contract and subsidy lists.

The file is streamed row by row and never read whole into Python memory:

* CSV is decoded incrementally through a byte-counting reader (progress = bytes read ÷ size);
  the encoding is detected by charset-normalizer on the first 64 KiB.
* XLSX rows come from openpyxl's read-only (streaming) reader (progress = rows read ÷ sheet height).

Valid rows go in batches into a staging table (``RegisterStaging``), each batch committed with
the import's progress row, so the page's progress bar moves and a crashed worker resumes after the
last committed row.  Once a row fails, nothing more is staged but the rest of the file is still
checked so that every bad row is reported (by row and column).  Only a file without errors is
promoted, in one transaction, into ``RegisterEntry`` with ``ON CONFLICT DO NOTHING`` on
(round, source, receipt number): re-importing the same file adds nothing twice.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from hwallyu.surveys import phones
from hwallyu.surveys.models import ImportStatus, RegisterEntry, RegisterImport, RegisterSource, RegisterStaging
from hwallyu.surveys.phones import normalize as _normalize_phone

log = logging.getLogger(__name__)

HEAD_BYTES = 64 * 1024
BATCH_SIZE = 5000
MAX_ERRORS_KEPT = 500
STALE_AFTER = dt.timedelta(minutes=10)
KOREAN_LEGACY = {"cp949", "euc_kr", "euc-kr", "johab", "iso2022_kr", "uhc", "ms949", "x-windows-949"}


class ImportFailed(Exception):
    """The file as a whole cannot be imported (missing columns, unknown encoding, unreadable)."""


# --- columns ------------------------------------------------------------------------------

FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    # field: (label, header aliases — spaces are ignored when matching)
    "receipt_no": (
        "접수번호",
        ("접수번호", "민원접수번호", "신청번호", "계약번호", "사업번호", "교부번호", "관리번호", "번호"),
    ),
    "received_at": (
        "접수일시",
        ("접수일시", "접수일", "신청일시", "신청일", "계약일", "계약일자", "교부결정일", "교부일"),
    ),
    "processed_at": (
        "처리일시",
        ("처리일시", "처리일", "처리완료일시", "처리완료일", "완료일", "준공일", "정산일", "지급일", "지급일자"),
    ),
    "petition_type": (
        "민원종류",
        ("민원사무명", "민원종류", "민원명", "사무명", "민원유형", "계약명", "사업명", "보조사업명", "계약건명"),
    ),
    "department": ("처리부서", ("처리부서", "담당부서", "처리부서명", "부서", "부서명", "계약부서", "소관부서")),
    "applicant": (
        "민원인",
        ("민원인", "신청인", "성명", "민원인성명", "계약자", "계약상대자", "보조사업자", "업체명", "대표자"),
    ),
    "phone": (
        "휴대전화",
        ("휴대전화", "휴대전화번호", "휴대폰", "휴대폰번호", "핸드폰", "연락처", "전화번호", "이동전화"),
    ),
    "legal_days": (
        "처리기간",
        ("처리기간", "법정처리기간", "처리기한", "법정처리기한", "처리기간(일)", "법정처리기간(일)"),
    ),
}
REQUIRED = ("receipt_no", "processed_at", "petition_type", "department", "phone")
_SPACES = re.compile(r"\s+")


def _norm_header(text: Any) -> str:
    return _SPACES.sub("", str(text or "")).lstrip("\ufeff")


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = f"{self.row}행" + (f" '{self.column}'" if self.column else "")
        return f"{where}: {self.message}"


# --- values ---------------------------------------------------------------------------------

_DATE_LOOSE = re.compile(
    r"^\s*(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})\s*[.일]?\s*(?:[T\s]\s*(\d{1,2})\s*[:시]\s*(\d{1,2})(?:\s*[:분]\s*(\d{1,2}))?\s*초?)?\s*$"
)
SEOUL = ZoneInfo("Asia/Seoul")


def parse_when(value: Any) -> dt.datetime | None:
    """A naive local (Asia/Seoul) datetime; ``None`` for an empty cell; ``ValueError`` otherwise."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        result = value
    elif isinstance(value, dt.date):
        result = dt.datetime.combine(value, dt.time())
    else:
        text = str(value).strip()
        if not text:
            return None
        try:
            result = dt.datetime.fromisoformat(text)
        except ValueError:
            match = _DATE_LOOSE.match(text)
            if not match:
                raise ValueError(f"날짜·시각 형식이 아닙니다({text[:30]}). 예: 2024-03-05 14:20") from None
            y, mo, d, h, mi, s = (int(g) if g else 0 for g in match.groups())
            try:
                result = dt.datetime(y, mo, d, h, mi, s)
            except ValueError:
                raise ValueError(f"없는 날짜·시각입니다({text[:30]}).") from None
    if result.tzinfo is not None:
        result = result.astimezone(SEOUL).replace(tzinfo=None)
    if not 2000 <= result.year <= 2100:
        raise ValueError(f"연도가 범위(2000~2100)를 벗어났습니다({result.year}).")
    return result


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _phone_text(value: Any) -> str:
    text = value.strip() if value.__class__ is str else _cell_text(value)
    # A spreadsheet that stored the number as a number lost its leading zero.
    if text.isdigit() and len(text) in (9, 10) and text.startswith("1"):
        return "0" + text
    return text


_DIGITS = re.compile(r"\d+")


SEOUL_OFFSET = dt.timedelta(hours=9)  # Korea has kept +09:00 without summer time since 1988


class WhenConverter:
    """Cell → (local sort key, database value) for a datetime column, ``None`` for an empty cell.

    Rows are checked to be from 2000 on, when Asia/Seoul is a fixed +09:00.  The database value is
    what Django itself stores for an aware datetime: on SQLite the UTC time as text, elsewhere an
    ISO text with its offset.  Text already written ``YYYY-MM-DD HH:MM[:SS]`` (what the register
    exports hold) takes a fast path that converts each distinct hour once.
    """

    def __init__(self) -> None:
        self.sqlite = connection.vendor == "sqlite"
        self.hours: dict[str, str] = {}

    def db_value(self, local: dt.datetime) -> str:
        if self.sqlite:
            return (local - SEOUL_OFFSET).isoformat(" ")
        return local.isoformat() + "+09:00"

    def __call__(self, value: Any) -> tuple[str, str] | None:
        if value.__class__ is str and len(value) in (16, 19):
            hour = value[:13]
            minutes = value[13:]
            prefix = self.hours.get(hour)
            if prefix is None and value[10] in " T":
                try:
                    moment = dt.datetime.strptime(hour, "%Y-%m-%d %H" if value[10] == " " else "%Y-%m-%dT%H")
                except ValueError:
                    moment = None
                if moment is not None and 2000 <= moment.year <= 2100:
                    prefix = self.db_value(moment)[:13] if self.sqlite else moment.isoformat()[:13]
                    self.hours[hour] = prefix
            if (
                prefix is not None
                and minutes[0] == ":"
                and minutes[1:3].isdigit()
                and minutes[1:3] < "60"
                and (len(minutes) == 3 or (minutes[3] == ":" and minutes[4:6].isdigit() and minutes[4:6] < "60"))
                and minutes.isascii()
            ):
                seconds = minutes if len(minutes) == 6 else minutes + ":00"
                key = value[:10] + " " + value[11:13] + seconds
                return key, (prefix + seconds if self.sqlite else prefix + seconds + "+09:00")
        local = parse_when(value)
        if local is None:
            return None
        return local.isoformat(" "), self.db_value(local)


class RowParser:
    """Maps a header to fields and checks one row at a time."""

    def __init__(self, header: list[Any], departments: dict[str, int]) -> None:
        names = [_norm_header(h) for h in header]
        self.header = [str(h or "").strip() for h in header]
        self.index: dict[str, int] = {}
        for field, (_, aliases) in FIELDS.items():
            for alias in aliases:
                key = _norm_header(alias)
                if key in names:
                    self.index[field] = names.index(key)
                    break
        missing = [FIELDS[f][0] for f in REQUIRED if f not in self.index]
        if missing:
            raise ImportFailed(f"필수 열이 없습니다: {', '.join(missing)}. 첫 행(머리글)의 열 이름을 확인하세요.")
        self.departments = departments
        self.errors: list[RowError] = []
        self.error_count = 0
        self.when = WhenConverter()
        self.hash_phone = phones.hasher()
        self.i_receipt = self.index["receipt_no"]
        self.i_processed = self.index["processed_at"]
        self.i_type = self.index["petition_type"]
        self.i_department = self.index["department"]
        self.i_phone = self.index["phone"]
        self.i_received = self.index.get("received_at")
        self.i_legal = self.index.get("legal_days")
        self.i_applicant = self.index.get("applicant")
        width = max(self.index.values()) + 1
        self.width = width

    def _column(self, field: str) -> str:
        i = self.index[field]
        label = self.header[i] if i < len(self.header) and self.header[i] else FIELDS[field][0]
        return f"{label}({column_letter(i)}열)"

    def _error(self, row_no: int, field: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(RowError(row_no, self._column(field) if field else "", message))

    def parse(self, row_no: int, values: list[Any] | tuple[Any, ...]) -> tuple[Any, ...] | None:
        """The staging tuple for a valid row (row number first); ``None`` (errors recorded) otherwise.

        This runs once per register row, so it is written for speed: plain strings (CSV) take
        the fast paths, other cell types (XLSX) go through the general converters.
        """
        if len(values) < self.width:
            values = list(values) + [None] * (self.width - len(values))
        ok = True
        raw = values[self.i_receipt]
        receipt = raw.strip() if raw.__class__ is str else _cell_text(raw)
        if not receipt:
            self._error(row_no, "receipt_no", "접수번호가 비어 있습니다.")
            ok = False
        elif len(receipt) > 50:
            self._error(row_no, "receipt_no", "접수번호가 너무 깁니다(50자 이하).")
            ok = False
        received = None
        if self.i_received is not None:
            try:
                received = self.when(values[self.i_received])
            except ValueError as exc:
                self._error(row_no, "received_at", str(exc))
                ok = False
        try:
            processed = self.when(values[self.i_processed])
        except ValueError as exc:
            processed = None
            self._error(row_no, "processed_at", str(exc))
            ok = False
        if received is not None and processed is not None and processed[0] < received[0]:
            self._error(row_no, "processed_at", "처리일시가 접수일시보다 빠릅니다.")
            ok = False
        raw = values[self.i_type]
        petition_type = raw.strip() if raw.__class__ is str else _cell_text(raw)
        if not petition_type:
            self._error(row_no, "petition_type", "민원 종류(사무명)가 비어 있습니다.")
            ok = False
        raw = values[self.i_department]
        department_name = raw.strip() if raw.__class__ is str else _cell_text(raw)
        department_id = self.departments.get(department_name)
        if department_id is None:
            department_id = self.departments.get(_norm_header(department_name))
            if department_id is None:
                message = (
                    "처리부서가 비어 있습니다."
                    if not department_name
                    else f"등록되지 않은 부서입니다({department_name[:30]})."
                )
                self._error(row_no, "department", message)
                ok = False
        legal_days = None
        if self.i_legal is not None:
            raw = values[self.i_legal]
            raw = raw.strip() if raw.__class__ is str else _cell_text(raw)
            if raw:
                if raw.isdigit() and len(raw) <= 4:
                    legal_days = int(raw)
                else:
                    found = _DIGITS.search(raw)
                    if found is None or len(found.group()) > 4:
                        self._error(row_no, "legal_days", f"처리기간은 일수(숫자)여야 합니다({raw[:20]}).")
                        ok = False
                    else:
                        legal_days = int(found.group())
        if not ok:
            return None
        phone = _normalize_phone(_phone_text(values[self.i_phone]))
        if self.i_applicant is None:
            applicant = ""
        else:
            raw = values[self.i_applicant]
            applicant = (raw.strip() if raw.__class__ is str else _cell_text(raw))[:100]
        return (
            row_no,
            receipt,
            None if received is None else received[1],
            None if processed is None else processed[1],
            petition_type[:200],
            department_id,
            applicant,
            phone,
            self.hash_phone(phone.replace("-", "").encode("ascii")) if phone else "",
            legal_days,
        )


# --- readers ----------------------------------------------------------------------------------


class CountingReader(io.RawIOBase):
    """A binary reader that counts the bytes handed to the decoder (for the progress bar)."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        return n


def detect_encoding(head: bytes) -> str:
    """The text encoding of a CSV from its first bytes: ``utf-8-sig``, ``utf-8`` or ``cp949``."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    cut = head.rfind(b"\n")
    sample = head[: cut + 1] if 0 < cut < len(head) - 1 else head
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise ImportFailed("파일의 문자 인코딩을 알 수 없습니다. UTF-8 또는 CP949(EUC-KR) CSV로 저장해 주세요.")
    encoding = best.encoding.lower()
    if encoding in KOREAN_LEGACY or any(lang.startswith("Korean") for lang in best.languages):
        return "cp949"
    return encoding


@dataclass
class Source:
    rows: Iterator[tuple[int, list[Any]]]  # (row number in the file, values)
    header: list[Any]
    encoding: str
    progress: Callable[[], int]  # bytes or rows read so far
    total_rows: int | None
    close: Callable[[], None]


def _find_header(rows: Iterator[tuple[int, list[Any]]]) -> tuple[int, list[Any]]:
    """The header is the first of the first 10 rows that names a receipt-number column."""
    aliases = {_norm_header(a) for a in FIELDS["receipt_no"][1]}
    for _ in range(10):
        try:
            row_no, values = next(rows)
        except StopIteration:
            break
        if any(_norm_header(v) in aliases for v in values):
            return row_no, values
    raise ImportFailed("머리글 행(접수번호 열)을 찾지 못했습니다. 첫 10행 안에 열 이름이 있어야 합니다.")


def open_csv(path: Path) -> Source:
    raw = path.open("rb")
    head = raw.read(HEAD_BYTES)
    raw.seek(0)
    encoding = detect_encoding(head)
    counter = CountingReader(raw)
    text = io.TextIOWrapper(io.BufferedReader(counter, 256 * 1024), encoding=encoding, newline="")

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            # A NUL byte (from a broken export) is no text PostgreSQL can store: it is dropped, not the row.
            lines = (line.replace("\x00", "") if "\x00" in line else line for line in text)
            yield from enumerate(csv.reader(lines), start=1)
        except UnicodeDecodeError as exc:
            raise ImportFailed(
                f"{encoding} 인코딩으로 읽을 수 없는 글자가 있습니다(바이트 위치 약 {counter.count})."
            ) from exc
        except csv.Error as exc:
            raise ImportFailed(f"CSV 형식 오류: {exc}") from exc

    iterator = rows()
    _, header = _find_header(iterator)
    return Source(iterator, header, encoding, lambda: counter.count, None, text.close)


def open_xlsx(path: Path) -> Source:
    # openpyxl's read-only mode parses the sheet's XML as a stream, so a million-row export is
    # read row by row without holding the sheet in memory (calamine would load the whole range).
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        height = sheet.max_row
    except (InvalidFileException, zipfile.BadZipFile, OSError, ValueError, KeyError, IndexError) as exc:
        raise ImportFailed(f"엑셀 파일을 열 수 없습니다: {exc}") from exc
    state = {"rows": 0}

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            state["rows"] = number
            yield number, list(values)

    iterator = rows()
    _, header = _find_header(iterator)
    return Source(iterator, header, "xlsx", lambda: state["rows"], height, workbook.close)


def open_source(path: Path, filename: str) -> Source:
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")):
        return open_xlsx(path)
    if name.endswith((".csv", ".txt")):
        return open_csv(path)
    raise ImportFailed("CSV 또는 XLSX 파일만 가져올 수 있습니다.")


# --- the pipeline ------------------------------------------------------------------------------


def department_lookup() -> dict[str, int]:
    from hwallyu.org import selectors as org

    lookup: dict[str, int] = {}
    for dept_id, code, name in org.departments().values_list("id", "code", "name"):
        lookup[name] = dept_id
        lookup[_norm_header(name)] = dept_id
        lookup[code] = dept_id
    return lookup


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


_ENTRY_COLUMNS = (
    "receipt_no",
    "received_at",
    "processed_at",
    "petition_type",
    "department_id",
    "applicant",
    "phone",
    "phone_hash",
    "legal_days",
)


def _lz4_available() -> bool:
    """Whether this PostgreSQL server can compress TOAST values with LZ4 (built ``--with-lz4``, 14 and later)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        found = cursor.fetchone()
    return bool(found and found[0])


def _stage(record: RegisterImport, batch_no: int, rows: list[tuple[Any, ...]], *, lz4: bool = False) -> int:
    if lz4:
        # A batch's JSON is stored out of line and compressed; LZ4 does that about three times faster
        # than the default pglz.  LOCAL: only this batch's transaction.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL default_toast_compression = lz4")
    return RegisterStaging.objects.create(
        register_import_id=record.id,
        batch_no=batch_no,
        first_row=rows[0][0],
        rows=json.dumps(rows, ensure_ascii=False, separators=(",", ":")),
    ).id


def after_batch(register_import: RegisterImport) -> None:
    """Called after each committed batch (tests use it to simulate a crash)."""


def claim(import_id: int, *, now: dt.datetime | None = None, stale_after: dt.timedelta = STALE_AFTER) -> bool:
    """Compare-and-set: a queued import, or a running one whose worker stopped beating, is ours."""
    now = now or timezone.now()
    return bool(
        RegisterImport.objects.filter(id=import_id)
        .filter(
            Q(status=ImportStatus.QUEUED)
            | Q(status=ImportStatus.RUNNING, heartbeat_at__lt=now - stale_after)
            | Q(status=ImportStatus.RUNNING, heartbeat_at__isnull=True)
        )
        .update(status=ImportStatus.RUNNING, heartbeat_at=now, started_at=Coalesce("started_at", now))
    )


def run(import_id: int, *, batch_size: int = BATCH_SIZE, stale_after: dt.timedelta = STALE_AFTER) -> RegisterImport:
    """Import (or resume) one file.  Safe to call twice: only one caller claims the import."""
    if not claim(import_id, stale_after=stale_after):
        return RegisterImport.objects.get(id=import_id)
    record = RegisterImport.objects.select_related("survey").get(id=import_id)
    path = Path(settings.MEDIA_ROOT) / record.file.name
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # a larger page cache for this connection's bulk insert
            cursor.execute("PRAGMA cache_size = -65536")
    try:
        source = open_source(path, record.filename)
    except ImportFailed as exc:
        return _fail(record, str(exc))
    promoter = Promoter(record) if pipelined() else None
    try:
        parser = RowParser(source.header, department_lookup())
        parser.error_count = record.error_count
        parser.errors = [RowError(**e) for e in record.errors]
        if promoter is not None:
            promoter.start(_staged_ids(record))
        _consume(record, source, parser, batch_size, promoter)
    except ImportFailed as exc:
        if promoter is not None:
            promoter.abort()
        return _fail(record, str(exc))
    except BaseException:
        if promoter is not None:
            promoter.abort()
        raise
    finally:
        source.close()
    if parser.error_count:
        if promoter is not None:
            promoter.abort()
        return _fail(
            record,
            f"오류가 있는 행이 {parser.error_count:,}개 있어 아무것도 저장하지 않았습니다. 고친 뒤 다시 올려 주세요.",
        )
    if promoter is not None:
        promoter.finish()
        record.refresh_from_db()
        return record
    return _promote(record)


def _consume(
    record: RegisterImport, source: Source, parser: RowParser, batch_size: int, promoter: Promoter | None = None
) -> None:
    resume_after = record.last_row
    batch_no = RegisterStaging.objects.filter(register_import_id=record.id).count()
    batch: list[tuple[Any, ...]] = []
    last_row = resume_after
    rows_read = record.rows_read
    errors_before = parser.error_count
    lz4 = connection.vendor == "postgresql" and _lz4_available()

    def commit() -> None:
        nonlocal batch, errors_before, batch_no
        staged = None
        with transaction.atomic():
            if batch and not parser.error_count:
                batch_no += 1
                staged = _stage(record, batch_no, batch, lz4=lz4)
            update: dict[str, Any] = {
                "last_row": last_row,
                "rows_read": rows_read,
                "bytes_read": source.progress() if source.total_rows is None else 0,
                "heartbeat_at": timezone.now(),
                "encoding": source.encoding,
            }
            if source.total_rows is not None:
                update["rows_total"] = source.total_rows
            if parser.error_count != errors_before:
                update["error_count"] = parser.error_count
                update["errors"] = [e.as_dict() for e in parser.errors]
            RegisterImport.objects.filter(id=record.id).update(**update)
            for key, value in update.items():
                setattr(record, key, value)
        errors_before = parser.error_count
        batch = []
        if promoter is not None:
            if staged is not None:
                promoter.put(staged)  # committed: the promoter's connection can read it
            promoter.check()
        after_batch(record)

    for row_no, values in source.rows:
        if row_no <= resume_after:
            continue
        last_row = row_no
        if not any(values):
            continue  # blank line
        rows_read += 1
        parsed = parser.parse(row_no, values)
        if parsed is not None and not parser.error_count:
            batch.append(parsed)
        if rows_read % batch_size == 0:
            commit()
    commit()


def _fail(record: RegisterImport, message: str) -> RegisterImport:
    with transaction.atomic():
        RegisterStaging.objects.filter(register_import_id=record.id).delete()
        RegisterImport.objects.filter(id=record.id).update(
            status=ImportStatus.FAILED, message=message[:300], finished_at=timezone.now()
        )
    record.refresh_from_db()
    return record


def _promote_sql() -> str:
    """The statement that adds one staged batch to the register (parameters: round, source, import, batch).

    A receipt number already there (from an earlier import or earlier in this file) is skipped by the
    unique index. SQLite gets the batch's JSON as the last parameter, PostgreSQL the staged row's key.
    """
    columns = ", ".join(("survey_id", "source", *_ENTRY_COLUMNS, "register_import_id"))
    table = RegisterEntry._meta.db_table
    conflict = " ON CONFLICT (survey_id, source, receipt_no) DO NOTHING"
    if connection.vendor == "sqlite":
        # The batch's JSON goes to SQLite as one parameter and is unpacked in C (json_each).
        picks = ", ".join(f"json_extract(j.value, '$[{i}]')" for i in range(1, len(_ENTRY_COLUMNS) + 1))
        return (
            f"INSERT INTO {table} ({columns}) SELECT %s, %s, {picks}, %s"
            " FROM json_each(%s) AS j WHERE true ORDER BY j.key" + conflict
        )
    if connection.vendor == "postgresql":
        # The batch never leaves the server: the statement reads the staged row by its key and parses
        # it once as jsonb, whose array elements are then picked by position (``json`` would re-scan
        # the element's text for every column).  A function scan WITH ORDINALITY is already in
        # ``n`` order, so keeping the file's order costs no sort.
        picks = ", ".join(
            f"(j.value->>{i})::{kind}"
            for i, kind in enumerate(
                ("text", "timestamptz", "timestamptz", "text", "bigint", "text", "text", "text", "smallint"), start=1
            )
        )
        staging = RegisterStaging._meta.db_table
        return (
            f"INSERT INTO {table} ({columns}) SELECT %s, %s, {picks}, %s"
            f" FROM jsonb_array_elements((SELECT s.rows::jsonb FROM {staging} s WHERE s.id = %s))"
            " WITH ORDINALITY AS j(value, n) ORDER BY j.n" + conflict
        )
    return f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * (len(_ENTRY_COLUMNS) + 3))})" + conflict


def _add_batch(cursor: Any, sql: str, record: RegisterImport, batch: Any) -> int:
    """Add one staged batch (its JSON, or on PostgreSQL its key); the number of rows actually added."""
    if connection.vendor in ("sqlite", "postgresql"):
        cursor.execute(sql, [record.survey_id, record.source, record.id, batch])
    else:
        head = (record.survey_id, record.source)
        cursor.executemany(sql, [(*head, *row[1:], record.id) for row in json.loads(batch)])
    return max(cursor.rowcount, 0)  # inserted rows only: conflicts count 0


def _staged_ids(record: RegisterImport) -> list[int]:
    """The batches staged so far, in file order (a resumed import has some from before)."""
    return list(
        RegisterStaging.objects.filter(register_import_id=record.id).order_by("batch_no").values_list("id", flat=True)
    )


def _mark_done(locked: RegisterImport, added: int) -> None:
    """Inside the promoting transaction, with the import's row locked: done, with its counts and an audit entry."""
    from hwallyu.core.audit import log_action

    # The staged batches hold the file's rows as read (names, phone numbers): gone with the commit that adds them.
    RegisterStaging.objects.filter(register_import_id=locked.id).delete()
    duplicates = locked.rows_read - added
    message = f"{locked.rows_read:,}행 중 {added:,}행을 추가했습니다."
    if duplicates:
        message += f" 이미 있는 접수번호 {duplicates:,}행은 건너뛰었습니다."
    RegisterImport.objects.filter(id=locked.id).update(
        status=ImportStatus.DONE,
        rows_added=added,
        rows_duplicate=duplicates,
        message=message,
        finished_at=timezone.now(),
    )
    log_action(
        actor=locked.created_by,
        action="surveys.register_import",
        target=locked,
        after={"source": locked.source, "rows_read": locked.rows_read, "rows_added": added},
    )


def _promote(record: RegisterImport) -> RegisterImport:
    """Move every staged batch into the register in one transaction, after the whole file was checked."""
    sql = _promote_sql()
    with transaction.atomic():
        locked = RegisterImport.objects.select_for_update(of=("self",)).get(id=record.id)
        if locked.status != ImportStatus.RUNNING:
            return locked
        batches = RegisterStaging.objects.filter(register_import_id=record.id).order_by("batch_no")
        staged: Iterable[Any]
        if connection.vendor == "postgresql":
            staged = list(batches.values_list("id", flat=True))  # the statement reads the batch itself
        else:
            staged = batches.values_list("rows", flat=True).iterator(chunk_size=4)
        added = 0
        with connection.cursor() as cursor:
            for batch in staged:
                added += _add_batch(cursor, sql, record, batch)
        _mark_done(locked, added)
    record.refresh_from_db()
    return record


def pipelined() -> bool:
    """Whether this import promotes while it reads (:class:`Promoter`): PostgreSQL, outside any transaction.

    SQLite has one writer at a time, and inside a caller's transaction (a test's) a second connection could not
    see the import's rows.
    """
    return connection.vendor == "postgresql" and not connection.in_atomic_block


class _Abort(Exception):
    """Raised inside the promoter's transaction to roll it back."""


class Promoter:
    """Adds the staged batches to the register on a second connection while the file is still being read.

    Reading and checking rows is Python's work, adding them PostgreSQL's: side by side they use both cores
    instead of one after the other. The guarantees stay those of :func:`_promote`:

    * one transaction on the promoter's connection holds every added row, and it commits only after the whole
      file was read without a bad row (:meth:`finish`); a bad row, an error or a crash rolls it back, so a
      failed file saves nothing and nothing is visible before the end;
    * batches are added in file order, each right after its staging commit (the promoter's connection sees
      committed rows only); a resumed import first adds the batches staged before the crash;
    * the import's row is locked only at the end, to mark it done: the reader keeps committing its progress
      to that row meanwhile (the foreign-key checks take a share lock that an update of other columns does
      not conflict with).
    """

    _STOP = -1
    _ABORT = -2

    def __init__(self, record: RegisterImport) -> None:
        import queue
        import threading

        self.record = record
        self.queue: queue.SimpleQueue[int] = queue.SimpleQueue()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name=f"register-import-{record.id}", daemon=True)
        self.done = False

    def start(self, staged_before: list[int]) -> None:
        for batch_id in staged_before:
            self.queue.put(batch_id)
        self.thread.start()

    def put(self, batch_id: int) -> None:
        self.queue.put(batch_id)

    def check(self) -> None:
        """Stop reading when adding failed (the error is raised here, in the reader's thread)."""
        if self.error is not None:
            self.abort()
            raise self.error

    def finish(self) -> None:
        """The file is read and clean: add what is left, mark the import done, commit."""
        self.queue.put(self._STOP)
        self.thread.join()
        self.done = True
        if self.error is not None:
            raise self.error

    def abort(self) -> None:
        """Roll back whatever was added (nothing if the promoter never started)."""
        if self.done:
            return
        self.done = True
        if self.thread.is_alive():
            self.queue.put(self._ABORT)
            self.thread.join()

    def _run(self) -> None:
        from django.db import connection as own  # this thread's own connection

        try:
            with transaction.atomic():
                sql, added = _promote_sql(), 0
                with own.cursor() as cursor:
                    while (batch_id := self.queue.get()) >= 0:
                        added += _add_batch(cursor, sql, self.record, batch_id)
                if batch_id == self._ABORT:
                    raise _Abort
                locked = RegisterImport.objects.select_for_update(of=("self",)).get(id=self.record.id)
                if locked.status != ImportStatus.RUNNING:
                    raise _Abort  # another worker finished or failed it meanwhile: add nothing
                _mark_done(locked, added)
        except _Abort:
            pass
        except Exception as exc:  # noqa: BLE001 - not swallowed: raised again in the reader's thread (check, finish)
            self.error = exc
            while self.queue.get() >= 0:  # drain until the reader stops or aborts
                pass
        finally:
            own.close()


SOURCE_LABELS = dict(RegisterSource.choices)

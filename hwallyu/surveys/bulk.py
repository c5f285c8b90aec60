"""Plain multi-row INSERTs for the few places that write tens of thousands of rows at once.

``bulk_create`` spends most of its time preparing every field of every object; here the caller
hands over values already in database form (see ``db_value``), and the driver's ``executemany``
does the rest (PostgreSQL: ``COPY``).  Used for invitations; the register import has its own staging path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connection, models


def db_value(model: type[models.Model], field: str, value: Any) -> Any:
    """``value`` as the database stores it for ``model.field`` (call once per distinct value)."""
    target: Any = model._meta.get_field(field)
    return target.get_db_prep_save(value, connection)


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]], *, batch: int = 5000
) -> int:
    """Insert ``rows`` (values in database form, in ``fields`` order); returns how many.

    PostgreSQL gets them through ``COPY … FROM STDIN`` (one stream, no statement per row);
    SQLite through ``executemany`` of one prepared INSERT, which it runs in C.
    """
    qn = connection.ops.quote_name
    targets: list[Any] = [model._meta.get_field(f) for f in fields]
    columns = ", ".join(qn(t.column) for t in targets)
    if connection.vendor == "postgresql":
        return _copy_rows(f"COPY {qn(model._meta.db_table)} ({columns}) FROM STDIN", rows)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({marks})"
    count = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while chunk := list(islice(iterator, batch)):
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def _copy_rows(sql: str, rows: Iterable[Sequence[Any]]) -> int:
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count

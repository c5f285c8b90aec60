"""Quarterly review (분기별 점검) and the quarterly summary report (분기별 총괄보고).

A review of year Y, quarter Q covers the directives given from 1 January of Y to the end of Q
(year to date, so an item left open in an earlier quarter stays in view), counted under their
lead department.  Figures are SQL aggregates; the approved review keeps them as a JSON snapshot.

* directives: all given in the period; completed / long-term / infeasible / transferred: the
  final state; in progress: not closed yet (등록·공유·보고·추진중);
* overdue now: a due time passed without its step (share, first report, result);
* first reports on time (%): first reports made by their due time ÷ directives whose first
  report was due (made, or its due time passed);
* completion rate (%) = completed ÷ directives.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import BooleanField, Case, Count, F, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from hwallyu.api.base import ServiceError
from hwallyu.core.audit import log_action
from hwallyu.core.calendar import SEOUL
from hwallyu.core.documents import Cell, Heading, Paragraph, Report, Table
from hwallyu.directives.models import (
    OPEN_STATES,
    Directive,
    QuarterlyReview,
    ReviewStatus,
    State,
)
from hwallyu.directives.policies import directive_policy
from hwallyu.directives.selectors import overdue_q
from hwallyu.org.selectors import city, departments

FIGURES = [
    ("total", "지시사항"),
    ("completed", "완료"),
    ("in_progress", "추진중"),
    ("long_term", "장기추진"),
    ("infeasible", "추진불가"),
    ("transferred", "타기관 이첩"),
    ("overdue", "기한 경과"),
]


def quarter_end(year: int, quarter: int) -> dt.datetime:
    """The first moment after the quarter (Asia/Seoul)."""
    if quarter == 4:
        return dt.datetime(year + 1, 1, 1, tzinfo=SEOUL)
    return dt.datetime(year, quarter * 3 + 1, 1, tzinfo=SEOUL)


def review_queryset(year: int, quarter: int) -> QuerySet[Directive]:
    return Directive.objects.filter(year=year, quarter__lte=quarter)


def _aggregates(now: dt.datetime) -> dict[str, Any]:
    first_due = Q(shared_at__isnull=False) & (Q(first_reported_at__isnull=False) | Q(first_report_due_at__lt=now))
    return {
        "total": Count("id"),
        "completed": Count("id", filter=Q(state=State.COMPLETED)),
        "in_progress": Count("id", filter=Q(state__in=OPEN_STATES)),
        "long_term": Count("id", filter=Q(state=State.LONG_TERM)),
        "infeasible": Count("id", filter=Q(state=State.INFEASIBLE)),
        "transferred": Count("id", filter=Q(state=State.TRANSFERRED)),
        "overdue": Count("id", filter=overdue_q(now)),
        "first_due": Count("id", filter=first_due),
        "first_on_time": Count(
            "id",
            filter=Q(first_reported_at__isnull=False, first_reported_at__lte=F("first_report_due_at")),
        ),
    }


def percent(part: int, whole: int) -> str | None:
    """part ÷ whole as a percentage with one decimal ("44.1"), None when whole is 0."""
    if not whole:
        return None
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _with_rates(figures: dict[str, Any]) -> dict[str, Any]:
    figures = {key: figures.get(key) or 0 for key in [k for k, _ in FIGURES] + ["first_due", "first_on_time"]}
    figures["first_on_time_rate"] = percent(figures["first_on_time"], figures["first_due"])
    figures["completion_rate"] = percent(figures["completed"], figures["total"])
    return figures


def _fmt(moment: dt.datetime | None) -> str:
    return f"{moment.astimezone(SEOUL):%Y-%m-%d %H:%M}" if moment else ""


def _item(row: dict[str, Any], names: dict[int, str], now: dt.datetime) -> dict[str, Any]:
    reasons = []
    if row["share_late"]:
        reasons.append("공유 지연")
    first_due, first_done = row["first_report_due_at"], row["first_reported_at"]
    if first_done is not None and first_due is not None and first_done > first_due:
        reasons.append("우선보고 지연")
    if row["overdue_now"]:
        if row["shared_at"] is None:
            reasons.append("미공유(기한 경과)")
        elif first_done is None:
            reasons.append("우선보고 미제출(기한 경과)")
        else:
            reasons.append("처리결과 미보고(기한 경과)")
    return {
        "number": row["number"],
        "title": row["title"],
        "department": names.get(row["lead_department_id"], ""),
        "state": row["state"],
        "state_label": str(State(row["state"]).label),
        "given_at": _fmt(row["given_at"]),
        "first_report_due_at": _fmt(first_due),
        "first_reported_at": _fmt(first_done),
        "overdue": bool(row["overdue_now"]),
        "reasons": reasons,
    }


ITEM_FIELDS = [
    "number",
    "title",
    "lead_department_id",
    "state",
    "given_at",
    "shared_at",
    "share_late",
    "first_report_due_at",
    "first_reported_at",
    "overdue_now",
]


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


class ItemList:
    """A review's open or late items read a page at a time, for ``Paginator`` (``count()`` and slicing):
    the page of a live review shows them thirty at a time, the report and the snapshot take them all."""

    def __init__(
        self, rows: QuerySet[Any, dict[str, Any]], count: int, names: dict[int, str], moment: dt.datetime
    ) -> None:
        self.rows, self._count, self.names, self.moment = rows, count, names, moment

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [_item(row, self.names, self.moment) for row in self.rows[index]]


def compute_review(
    year: int, quarter: int, *, now: dt.datetime | None = None, paged_items: bool = False
) -> dict[str, Any]:
    """The review's figures, per lead department and in total, with the open and late items
    (as :class:`ItemList` when ``paged_items``, else as lists)."""
    moment = now or timezone.now()
    qs = review_queryset(year, quarter)
    aggregates = _aggregates(moment)
    open_filter = Q(state__in=OPEN_STATES)
    late_filter = overdue_q(moment) | Q(share_late=True) | Q(first_reported_at__gt=F("first_report_due_at"))
    per_department = list(
        qs.order_by().values("lead_department_id").annotate(**aggregates, late_items=Count("id", filter=late_filter))
    )
    # Every directive has one lead department: the total is the sum of the department rows.
    total = _with_rates({key: sum(row[key] for row in per_department) for key in aggregates})
    ids = [row["lead_department_id"] for row in per_department]
    depts = {d.pk: d for d in departments().filter(pk__in=ids)}
    names = {pk: d.name for pk, d in depts.items()}
    rows = []
    for row in sorted(
        per_department, key=lambda r: (depts[r["lead_department_id"]].order, depts[r["lead_department_id"]].code)
    ):
        department = depts[row["lead_department_id"]]
        rows.append({"department_code": department.code, "department_name": department.name, **_with_rates(row)})
    flagged = qs.annotate(overdue_now=_flag(overdue_q(moment))).order_by("given_at", "seq")
    open_items: Any
    late_items: Any
    if paged_items:
        # The open items are the "in progress" figure; the late ones were counted with the figures.
        late_count = sum(row["late_items"] for row in per_department)
        open_items = ItemList(flagged.filter(open_filter).values(*ITEM_FIELDS), total["in_progress"], names, moment)
        late_items = ItemList(flagged.filter(late_filter).values(*ITEM_FIELDS), late_count, names, moment)
    else:
        # Both lists in one pass (a directive is often in both), each in the order given.
        open_items, late_items = [], []
        both = flagged.filter(open_filter | late_filter)
        both = both.annotate(open_item=_flag(open_filter), late_item=_flag(late_filter))
        for row in both.values(*ITEM_FIELDS, "open_item", "late_item"):
            item = _item(row, names, moment)
            if row["open_item"]:
                open_items.append(item)
            if row["late_item"]:
                late_items.append(dict(item))
    return {
        "year": year,
        "quarter": quarter,
        "period": f"{year}-01-01 ~ {(quarter_end(year, quarter) - dt.timedelta(days=1)):%Y-%m-%d}",
        "computed_at": moment.astimezone(SEOUL).isoformat(),
        "rows": rows,
        "total": total,
        "open_items": open_items,
        "late_items": late_items,
    }


def review_for(year: int, quarter: int) -> QuarterlyReview | None:
    review = (
        QuarterlyReview.objects.filter(year=year, quarter=quarter)
        .select_related("approved_by")
        .defer("snapshot")
        .annotate(snapshot_text=Cast("snapshot", TextField()))
        .first()
    )
    if review is not None:
        review.snapshot = _load_snapshot(review.snapshot_text)  # type: ignore[attr-defined]
    return review


def _load_snapshot(text: str | None) -> dict[str, Any] | None:
    """The snapshot JSON read with the cyclic garbage collector paused.

    A large city's snapshot holds thousands of item dicts; parsed while the collector runs, they set off
    a chain of collections that every dozen page views ends in a full one (about 0.1 s in a web process).
    The dicts hold no cycles and are freed by reference counting when the page is done."""
    if text is None:
        return None
    enabled = gc.isenabled()
    gc.disable()
    try:
        value: dict[str, Any] = json.loads(text)
    finally:
        if enabled:
            gc.enable()
    return value


def review_data(
    year: int, quarter: int, *, now: dt.datetime | None = None, paged_items: bool = False
) -> tuple[QuarterlyReview | None, dict[str, Any]]:
    """The frozen snapshot of an approved review, else the live figures (``paged_items``: see compute_review)."""
    review = review_for(year, quarter)
    if review is not None and review.is_frozen and review.snapshot:
        return review, review.snapshot
    return review, compute_review(year, quarter, now=now, paged_items=paged_items)


def validate_quarter(year: int, quarter: int) -> None:
    if not 1 <= quarter <= 4:
        raise ServiceError("분기는 1~4 사이여야 합니다.")
    if not 2000 <= year <= 2100:
        raise ServiceError("연도가 올바르지 않습니다.")


def review_approve(
    *, year: int, quarter: int, actor: Any, note: str = "", at: dt.datetime | None = None
) -> QuarterlyReview:
    """Approve the review: its figures are frozen as they are now (later edits don't change it)."""
    directive_policy.check(actor, "review_approve")
    validate_quarter(year, quarter)
    now = at or timezone.now()
    if now < quarter_end(year, quarter):
        raise ServiceError("분기가 끝난 뒤에 점검을 승인할 수 있습니다.", status=409)
    with transaction.atomic():
        review, _ = QuarterlyReview.objects.get_or_create(year=year, quarter=quarter)
        review = QuarterlyReview.objects.select_for_update(of=("self",)).get(pk=review.pk)
        if review.is_frozen:
            raise ServiceError("이미 승인(확정)된 분기별 점검입니다.", status=409)
        data = compute_review(year, quarter, now=now)
        review.snapshot = data
        review.status = ReviewStatus.APPROVED
        review.approved_by = actor
        review.approved_at = now
        review.note = (note or "").strip()
        review.save(update_fields=["snapshot", "status", "approved_by", "approved_at", "note"])
        log_action(
            actor=actor,
            action="directive_review.approve",
            target=review,
            after={"year": year, "quarter": quarter, "total": data["total"], "note": review.note},
        )
    return review


# --- the summary report (HWPX / XLSX) --------------------------------------------------------------


def _rate(value: str | None) -> Decimal | str:
    return Decimal(value) if value is not None else "-"


def _figure_cells(figures: dict[str, Any]) -> list[Any]:
    return [figures[key] for key, _ in FIGURES] + [
        _rate(figures["first_on_time_rate"]),
        _rate(figures["completion_rate"]),
    ]


def summary_report(data: dict[str, Any], review: QuarterlyReview | None) -> Report:
    year, quarter = data["year"], data["quarter"]
    total = data["total"]
    status = (
        f"확정: {review.approved_at.astimezone(SEOUL):%Y-%m-%d %H:%M}"
        if review is not None and review.is_frozen and review.approved_at
        else f"미확정(산출 시각 {dt.datetime.fromisoformat(data['computed_at']):%Y-%m-%d %H:%M} 기준)"
    )
    rate = total["completion_rate"] or "-"
    summary = (
        f"대상 기간 {data['period']} 지시사항 {total['total']}건 중 완료 {total['completed']}건"
        f"(완료율 {rate}%), 추진중 {total['in_progress']}건, 기한 경과 {total['overdue']}건."
    )
    header = [
        [
            Cell("부서", rowspan=2),
            Cell("지시사항", rowspan=2),
            Cell("처리 현황", colspan=5),
            Cell("기한 경과", rowspan=2),
            Cell("우선보고 기한 내(%)", rowspan=2),
            Cell("완료율(%)", rowspan=2),
        ],
        ["완료", "추진중", "장기추진", "추진불가", "타기관 이첩"],
    ]
    rows = [[row["department_name"], *_figure_cells(row)] for row in data["rows"]]
    item_header: list[list[Cell | str]] = [["번호", "지시일", "제목", "주관부서", "상태", "우선보고 기한", "비고"]]

    def item_rows(items: list[dict[str, Any]]) -> list[list[Any]]:
        return [
            [
                i["number"],
                i["given_at"][:10],
                i["title"],
                i["department"],
                i["state_label"],
                i["first_report_due_at"],
                ", ".join(i["reasons"]),
            ]
            for i in items
        ]

    org_label = f"{city().name} 기획감사실"
    return Report(
        title=f"{year}년 {quarter}분기 지시사항 추진상황 총괄보고",
        issued_on=timezone.localdate(),
        org_label=org_label,
        blocks=[
            Paragraph(f"{status}. {summary}"),
            Heading("1. 부서별 추진 현황"),
            Table(
                header_rows=header,  # type: ignore[arg-type]
                rows=rows,
                total_rows=[["합계", *_figure_cells(total)]],
                caption="부서별 지시사항 처리 현황(주관부서 기준, 단위: 건)",
            ),
            Heading("2. 미완료 과제"),
            Table(header_rows=item_header, rows=item_rows(data["open_items"])),
            Heading("3. 기한 경과·지연 과제"),
            Table(header_rows=item_header, rows=item_rows(data["late_items"])),
        ],
    )

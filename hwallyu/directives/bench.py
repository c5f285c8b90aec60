"""Benchmark directives: ``scale.directives`` directives over the scale's years, each with its assignments,
``scale.reports_per_directive`` reports, timeline events, some extension and close requests, and the approved
quarterly reviews of every ended quarter.

Each directive is planned in Python as the app would have processed it (registered, shared the same day or
late, first report on time or late, a follow-up or result report, a close request approved weeks later);
anything planned after the dataset's "now" (``ctx.today`` 17:00) has not happened, so older years are finished
and the last one is a mix with some overdue items.  Due times come from the working-time calendar.  Numbers
are ``YYYY-NNNN`` in the order given, gapless per year, with the year's counter row at the last number.

The quarterly review snapshots are what ``reviews.review_approve`` would have frozen on the fifth working day
after each quarter: each directive's state, due and report times are replayed as they stood at that moment
and counted with the same rules as ``reviews.compute_review`` (its ``_item``/``_with_rates`` helpers)."""

from __future__ import annotations

import bisect
import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

from hwallyu.core.benchdata import BenchContext, BenchPage
from hwallyu.core.calendar import SEOUL, get_calendar
from hwallyu.directives import reviews
from hwallyu.directives.models import (
    DEFAULT_DEADLINE_CLASSES,
    DEFAULT_GIVERS,
    DEFAULT_SOURCES,
    OPEN_STATES,
    STEP_LABELS,
    AssignmentRole,
    CloseRequest,
    Directive,
    DirectiveAssignment,
    DirectiveCounter,
    DirectiveEvent,
    DirectiveReport,
    DirectiveScheme,
    EventKind,
    ExtensionRequest,
    ExtensionStep,
    Kind,
    QuarterlyReview,
    ReportKind,
    RequestStatus,
    ReviewStatus,
    State,
)
from hwallyu.directives.services.common import fmt
from hwallyu.org.models import Role
from hwallyu.org.selectors import departments, people, users_with_role

TOPICS = [
    "딸기축제",
    "국방산단",
    "공공기관 유치",
    "탑정호 관광",
    "강경 젓갈시장",
    "민원 처리",
    "청렴 문화",
    "폭염 대책",
    "한파 대책",
    "제설 대비",
    "산불 예방",
    "취약계층 돌봄",
    "청년 일자리",
    "귀농 귀촌",
    "스마트팜",
    "농산물 판로",
    "전통시장 활성화",
    "도시재생",
    "하천 정비",
    "도로 포장",
    "대중교통 개선",
    "주차 환경",
    "경로당 운영",
    "아동 돌봄",
    "평생학습",
    "시립도서관",
    "체육시설",
    "문화행사",
    "관광 홍보",
    "재난 대비",
    "감염병 예방",
    "상하수도",
    "공원 관리",
    "쓰레기 수거",
    "에너지 절약",
    "탄소중립",
    "투자 유치",
    "기업 애로",
    "소상공인 지원",
    "인구 정책",
]
ACTIONS = [
    "추진계획 보고",
    "현장 점검",
    "개선 방안 마련",
    "홍보 강화",
    "예산 확보 방안 검토",
    "관계기관 협의",
    "만족도 조사",
    "안전관리 계획 보완",
    "추진상황 점검",
    "대책 수립",
    "시민 의견 수렴",
    "사업 일정 단축",
]
PROGRESS_TEXT = [
    "관계 부서 협의를 마치고 세부 일정에 따라 추진하고 있습니다.",
    "현장 점검 결과를 반영해 보완 계획을 수립하고 있습니다.",
    "예산 반영을 요청했고 사업 착수를 준비하고 있습니다.",
    "시민 의견을 수렴해 추진 방향을 정리하고 있습니다.",
]
FINAL_CHOICES = [
    (State.COMPLETED, 0.86, "", ""),
    (State.LONG_TERM, 0.07, "예산 확보와 관계기관 협의가 필요해 장기 과제로 관리합니다.", ""),
    (State.INFEASIBLE, 0.04, "관련 예산이 확보되지 않아 올해 추진이 어렵습니다.", ""),
    (State.TRANSFERRED, 0.03, "충청남도 소관 사무입니다.", "충청남도"),
]
TIMES = [dt.time(9, 0), dt.time(10, 0), dt.time(11, 0), dt.time(14, 0), dt.time(15, 0), dt.time(16, 0)]
BIG_REPORTS = 48  # follow-up reports of the one big directive the detail page benchmark shows
MINUTE = dt.timedelta(minutes=1)


@dataclass
class Plan:
    """One directive as it stood at the dataset's "now" (times after it are None)."""

    id: int
    year: int
    quarter: int
    seq: int
    given_at: dt.datetime
    kind: str
    lead_id: int
    title: str
    report_days: int
    share_due_at: dt.datetime
    shared_at: dt.datetime | None = None
    share_late: bool = False
    first_due0: dt.datetime | None = None  # first report due at sharing
    ext_decided_at: dt.datetime | None = None  # an approved extension of the first report
    ext_new_due: dt.datetime | None = None
    first_reported_at: dt.datetime | None = None
    followup_at: dt.datetime | None = None  # the first progress or result report
    result_due_at: dt.datetime | None = None
    result_reported_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    final_state: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def number(self) -> str:
        return f"{self.year}-{self.seq:04d}"

    def at(self, moment: dt.datetime) -> dict[str, Any]:
        """The fields ``reviews.compute_review`` reads, as they stood at ``moment``."""

        def seen(value: dt.datetime | None) -> dt.datetime | None:
            return value if value is not None and value <= moment else None

        shared = seen(self.shared_at)
        first = seen(self.first_reported_at)
        if seen(self.closed_at):
            state = self.final_state
        elif seen(self.followup_at):
            state = State.IN_PROGRESS
        elif first:
            state = State.REPORTED
        elif shared:
            state = State.SHARED
        else:
            state = State.REGISTERED
        first_due = None
        if shared:
            extended = self.ext_decided_at is not None and self.ext_decided_at <= moment
            first_due = self.ext_new_due if extended else self.first_due0
        return {
            "number": self.number,
            "title": self.title,
            "lead_department_id": self.lead_id,
            "state": str(state),
            "kind": self.kind,
            "given_at": self.given_at,
            "seq": self.seq,
            "shared_at": shared,
            "share_late": self.share_late if shared else False,
            "share_due_at": self.share_due_at,
            "first_report_due_at": first_due,
            "first_reported_at": first,
            "result_due_at": self.result_due_at,
            "result_reported_at": seen(self.result_reported_at),
        }


class WorkDays:
    """Working days of the dataset's span, for "n working days after" without a scan."""

    def __init__(self, calendar: Any, start: dt.date, end: dt.date) -> None:
        self.days: list[dt.date] = []
        day = start
        while day <= end:
            if calendar.is_working_day(day):
                self.days.append(day)
            day += dt.timedelta(days=1)

    def after(self, day: dt.date, n: int) -> dt.date:
        return self.days[bisect.bisect_right(self.days, day) + n - 1]

    def between(self, start: dt.date, end: dt.date) -> list[dt.date]:
        return self.days[bisect.bisect_left(self.days, start) : bisect.bisect_right(self.days, end)]


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=SEOUL)


def _pick(rng: Any, choices: list[tuple[Any, float, str, str]]) -> tuple[Any, float, str, str]:
    u = rng.random()
    for choice in choices:
        u -= choice[1]
        if u < 0:
            return choice
    return choices[0]


# --- the comparison rules of reviews.compute_review, on replayed rows ---------------------------------


def _overdue(row: dict[str, Any], now: dt.datetime) -> bool:
    open_ = row["state"] in OPEN_STATES
    if row["state"] == State.REGISTERED and row["share_due_at"] < now:
        return True
    due = row["first_report_due_at"]
    if open_ and row["shared_at"] is not None and row["first_reported_at"] is None and due is not None and due < now:
        return True
    result_due = row["result_due_at"]
    return bool(
        open_
        and row["kind"] == Kind.ORDER
        and row["result_reported_at"] is None
        and result_due is not None
        and result_due < now
    )


def review_snapshot(plans: list[Plan], year: int, quarter: int, moment: dt.datetime, order: dict[int, Any]) -> dict:
    """What ``reviews.compute_review(year, quarter, now=moment)`` returns, from the plans replayed to ``moment``.

    ``order`` maps a department id to (order, code, name)."""
    rows = [p.at(moment) for p in plans if p.year == year and p.quarter <= quarter]
    rows.sort(key=lambda r: (r["given_at"], r["seq"]))
    keys = [k for k, _ in reviews.FIGURES] + ["first_due", "first_on_time"]
    per: dict[int, dict[str, int]] = {}
    total = dict.fromkeys(keys, 0)
    open_items, late_items = [], []
    names = {pk: order[pk][2] for pk in {r["lead_department_id"] for r in rows}}
    for r in rows:
        state, due, first = r["state"], r["first_report_due_at"], r["first_reported_at"]
        overdue = _overdue(r, moment)
        r["overdue_now"] = overdue
        counts = {
            "total": 1,
            "completed": state == State.COMPLETED,
            "in_progress": state in OPEN_STATES,
            "long_term": state == State.LONG_TERM,
            "infeasible": state == State.INFEASIBLE,
            "transferred": state == State.TRANSFERRED,
            "overdue": overdue,
            "first_due": r["shared_at"] is not None and (first is not None or (due is not None and due < moment)),
            "first_on_time": first is not None and due is not None and first <= due,
        }
        bucket = per.setdefault(r["lead_department_id"], dict.fromkeys(keys, 0))
        for key, value in counts.items():
            bucket[key] += int(value)
            total[key] += int(value)
        item_row = {k: r[k] for k in reviews.ITEM_FIELDS}
        if state in OPEN_STATES:
            open_items.append(reviews._item(item_row, names, moment))
        if overdue or r["share_late"] or (first is not None and due is not None and first > due):
            late_items.append(reviews._item(item_row, names, moment))
    dept_rows = [
        {"department_code": order[pk][1], "department_name": order[pk][2], **reviews._with_rates(figures)}
        for pk, figures in sorted(per.items(), key=lambda kv: order[kv[0]][:2])
    ]
    return {
        "year": year,
        "quarter": quarter,
        "period": f"{year}-01-01 ~ {(reviews.quarter_end(year, quarter) - dt.timedelta(days=1)):%Y-%m-%d}",
        "computed_at": moment.astimezone(SEOUL).isoformat(),
        "rows": dept_rows,
        "total": reviews._with_rates(total),
        "open_items": open_items,
        "late_items": late_items,
    }


# --- bulk insert -------------------------------------------------------------------------------------


def insert_rows(ctx: BenchContext, model: Any, rows: list[dict[str, Any]], *, desc: str) -> None:
    """Insert ``rows`` ({attname: value}; missing fields get their defaults) in batches of ``ctx.batch_size``.

    ``executemany`` (PostgreSQL: ``COPY``) with the values adapted as the ORM would store them (aware datetimes
    through ``connection.ops``, JSON as text): ``bulk_create`` spends most of its time compiling each value,
    which at ``large`` (over a million rows here) took about a minute and a half on its own."""
    now = timezone.now()
    ops = connection.ops
    with_id = bool(rows) and "id" in rows[0]
    fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
    columns: list[tuple[str, Any, Any]] = []  # attname, default, adapter
    for f in fields:
        default = now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
        adapt: Callable[[Any], Any] | None = None
        if isinstance(f, models.DateTimeField):
            adapt = ops.adapt_datetimefield_value
        elif isinstance(f, models.JSONField):
            adapt = json.dumps
        columns.append((f.attname, default, adapt))
    quote = ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )

    def values(row: dict[str, Any]) -> tuple[Any, ...]:
        out = []
        for name, default, adapt in columns:
            value = row.get(name, default)
            out.append(adapt(value) if adapt is not None and value is not None else value)
        return tuple(out)

    with ctx.progress(desc, len(rows)) as bar, connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: several times faster than multi-row inserts there
            columns_sql = ", ".join(quote(f.column) for f in fields)
            with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns_sql}) FROM STDIN") as copy:
                for batch in ctx.batches(rows):
                    for row in batch:
                        copy.write_row(values(row))
                    bar.update(len(batch))
            return
        for batch in ctx.batches(rows):
            cursor.executemany(sql, [values(r) for r in batch])
            bar.update(len(batch))


# --- the generator ------------------------------------------------------------------------------------


class Generator:
    def __init__(self, ctx: BenchContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng("directives")
        self.calendar = get_calendar()
        self.now = _at(ctx.today, dt.time(17, 0))
        self.work = WorkDays(self.calendar, dt.date(ctx.years[0], 1, 1), dt.date(ctx.scale.last_year + 2, 12, 31))
        depts = list(departments().order_by("order", "code"))
        self.depts = depts
        self.dept_name = {d.pk: d.name for d in depts}
        self.dept_order = {d.pk: (d.order, d.code, d.name) for d in depts}
        # Lead weights: 본청 departments get more than 읍면동.
        self.weights = [3 if d.kind == "main" else (2 if d.kind != "local" else 1) for d in depts]
        self.cum_weights: list[float] = []
        acc = 0.0
        for w in self.weights:
            acc += w
            self.cum_weights.append(acc)
        self.staff: dict[int, list[tuple[int, str]]] = {}
        self.managers: dict[int, tuple[int, str]] = {}
        for user_id, dept_id, role, first, last, username in people().values_list(
            "user_id", "department_id", "role", "user__first_name", "user__last_name", "user__username"
        ):
            name = f"{first} {last}".strip() or username
            if role == Role.MANAGER:
                self.managers.setdefault(dept_id, (user_id, name))
            elif role == Role.STAFF:
                self.staff.setdefault(dept_id, []).append((user_id, name))
        planners = users_with_role(Role.PLANNING)
        self.planners = [(u.pk, u.get_full_name() or u.get_username()) for u in planners]
        self.approver = next(
            (p for u, p in zip(planners, self.planners, strict=True) if u.get_username() == "bench-planner"),
            self.planners[0] if self.planners else (None, "시스템"),
        )
        self.plans: list[Plan] = []
        # Rows as {attname: value} (see ``insert_rows``)
        self.assignments: list[dict[str, Any]] = []
        self.reports: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.closes: list[dict[str, Any]] = []
        self.extensions: list[dict[str, Any]] = []
        self.directives: list[dict[str, Any]] = []
        self.counters: list[DirectiveCounter] = []  # each year's counter at its last number
        self.next_id = {
            model: (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1
            for model in (Directive, DirectiveReport, CloseRequest, ExtensionRequest)
        }

    def _id(self, model: Any) -> int:
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    def writer(self, dept_id: int) -> tuple[int | None, str]:
        staff = self.staff.get(dept_id)
        if staff:
            return self.rng.choice(staff)
        return self.managers.get(dept_id, (None, "시스템"))

    def manager(self, dept_id: int) -> tuple[int | None, str]:
        return self.managers.get(dept_id) or self.writer(dept_id)

    def lead(self) -> Any:
        u = self.rng.random() * self.cum_weights[-1]
        return self.depts[bisect.bisect_right(self.cum_weights, u)]

    def seen(self, moment: dt.datetime | None) -> dt.datetime | None:
        return moment if moment is not None and moment <= self.now else None

    def event(
        self,
        plan: Plan,
        kind: str,
        at: dt.datetime,
        actor: tuple[int | None, str],
        dept: str,
        message: str,
        data: dict[str, Any] | None = None,
    ) -> None:
        self.events.append(
            dict(
                directive_id=plan.id,
                at=at,
                actor_id=actor[0],
                actor_name=actor[1],
                department_name=dept,
                kind=kind,
                message=message,
                data=data or {},
            )
        )

    # --- one year --------------------------------------------------------------------------------
    def year(self, year: int, count: int) -> None:
        last = year == self.ctx.scale.last_year
        end = self.ctx.today if last else dt.date(year, 12, 31)
        days = self.work.between(dt.date(year, 1, 1), end)
        given = sorted(_at(self.rng.choice(days), self.rng.choice(TIMES)) for _ in range(count))
        big_done = year != self.ctx.scale.last_year
        for seq, given_at in enumerate(given, start=1):
            lead = self.lead()
            big = False
            if not big_done and lead.pk == self.depts[min(1, len(self.depts) - 1)].pk:
                big = big_done = True
            self.directive(year, seq, given_at, lead, last, big)
        self.counters.append(DirectiveCounter(year=year, last=count))

    def directive(self, year: int, seq: int, given_at: dt.datetime, lead: Any, last: bool, big: bool) -> None:
        rng, cal, now = self.rng, self.calendar, self.now
        kind = Kind.ORDER if big or rng.random() < 0.88 else Kind.EXHORTATION
        klass = DEFAULT_DEADLINE_CLASSES[1] if rng.random() < 0.2 else DEFAULT_DEADLINE_CLASSES[0]
        title = f"{rng.choice(TOPICS)} {rng.choice(ACTIONS)}"
        source, giver = rng.choice(DEFAULT_SOURCES), rng.choice(DEFAULT_GIVERS)
        local_given = given_at.date()
        plan = Plan(
            id=self._id(Directive),
            year=year,
            quarter=(given_at.month - 1) // 3 + 1,
            seq=seq,
            given_at=given_at,
            kind=kind,
            lead_id=lead.pk,
            title=title,
            report_days=klass["days"],
            share_due_at=cal.same_day(given_at),
        )
        planner = rng.choice(self.planners) if self.planners else (None, "시스템")
        registered_at = given_at + 30 * MINUTE
        if kind == Kind.ORDER and rng.random() < 0.25 and not big:
            # the form's "처리결과 기한" date: the close of that day, or of the next working day
            due_on = self.work.after(local_given + dt.timedelta(days=rng.randint(20, 60) - 1), 1)
            plan.result_due_at = cal.close_of(due_on)
        self.event(
            plan,
            EventKind.REGISTERED,
            registered_at,
            planner,
            self.dept_name[self.depts[0].pk],
            f"{source} · {giver} 지시를 등록했습니다. 공유 기한 {fmt(plan.share_due_at)}",
            {"share_due_at": plan.share_due_at.isoformat()},
        )
        supports: list[Any] = []
        n_support = 0 if big else rng.choices([0, 1, 2], weights=[60, 30, 10])[0]
        while len(supports) < n_support and len(self.depts) > 1:
            d = rng.choice(self.depts)
            if d.pk != lead.pk and d not in supports:
                supports.append(d)

        # share: the same day, 3% the next working day (late), a few never (this year only)
        never_shared = last and (rng.random() < 0.003 or (local_given == self.ctx.today and rng.random() < 0.5))
        if never_shared and not big:
            shared_at = None
        elif rng.random() < 0.03 and not big:
            shared_at = _at(self.work.after(local_given, 1), dt.time(10, 0))
        else:
            shared_at = given_at + 60 * MINUTE
        shared_at = self.seen(shared_at)
        escalations: list[tuple[str, dt.datetime, dt.datetime]] = []  # (step, due, escalated at)
        if (shared_at is None or shared_at > plan.share_due_at + 5 * MINUTE) and plan.share_due_at + 5 * MINUTE <= now:
            escalations.append(("share", plan.share_due_at, plan.share_due_at + 5 * MINUTE))
        self.assignments.append(self.assignment(plan, lead, AssignmentRole.LEAD, shared_at))
        for d in supports:
            self.assignments.append(self.assignment(plan, d, AssignmentRole.SUPPORT, shared_at))
        if shared_at is not None:
            plan.shared_at = shared_at
            plan.share_late = shared_at > plan.share_due_at
            plan.first_due0 = cal.deadline(shared_at, plan.report_days)
            late = " (공유 기한 경과)" if plan.share_late else ""
            names = ", ".join(self.dept_name[d.pk] for d in [lead, *supports])
            self.event(
                plan,
                EventKind.SHARED,
                shared_at,
                planner,
                self.dept_name[self.depts[0].pk],
                f"{names}에 공유했습니다{late}. 우선보고 기한 {fmt(plan.first_due0)}",
                {"first_report_due_at": plan.first_due0.isoformat(), "share_late": plan.share_late},
            )
            self.process(plan, lead, last, big, escalations)
            self.result_escalation(plan, escalations)
        self.finish(plan, lead, source, giver, klass, registered_at, planner[0], escalations)

    def assignment(self, plan: Plan, dept: Any, role: str, shared_at: dt.datetime | None) -> dict[str, Any]:
        ack_at = self.seen(shared_at + self.rng.randint(10, 180) * MINUTE) if shared_at else None
        return dict(
            directive_id=plan.id,
            department_id=dept.pk,
            role=role,
            received_at=shared_at,
            acknowledged_at=ack_at,
            acknowledged_by_id=self.writer(dept.pk)[0] if ack_at else None,
        )

    def process(self, plan: Plan, lead: Any, last: bool, big: bool, escalations: list) -> None:
        """From the share on: extension, first report, follow-up reports, close."""
        rng, cal, now = self.rng, self.calendar, self.now
        shared_at, due0 = plan.shared_at, plan.first_due0
        assert shared_at is not None and due0 is not None
        manager, writer = self.manager(lead.pk), self.writer(lead.pk)
        lead_name = self.dept_name[lead.pk]
        planner = self.approver
        due = due0
        u = rng.random()
        first_at: dt.datetime | None
        if not big and rng.random() < 0.03:  # an extension of the first report
            days = rng.randint(2, 5)
            asked = cal.add_working_hours(shared_at, dt.timedelta(hours=2))
            decided = cal.add_working_hours(asked, dt.timedelta(hours=2))
            returned = rng.random() < 0.25
            reason = "관계기관 자료 회신이 늦어 연장을 요청합니다."
            new_due = cal.deadline(due0, days)
            if asked <= now:
                ext_id = self._id(ExtensionRequest)
                status = RequestStatus.PENDING
                if decided <= now:
                    status = RequestStatus.RETURNED if returned else RequestStatus.APPROVED
                self.extensions.append(
                    dict(
                        id=ext_id,
                        directive_id=plan.id,
                        step=ExtensionStep.FIRST_REPORT,
                        days=days,
                        reason=reason,
                        requested_by_id=manager[0],
                        requested_at=asked,
                        status=status,
                        decided_by_id=planner[0] if status != RequestStatus.PENDING else None,
                        decided_at=decided if status != RequestStatus.PENDING else None,
                        comment=("증빙 자료를 보완해 다시 요청 바랍니다." if returned else "승인합니다.")
                        if status != RequestStatus.PENDING
                        else "",
                        old_due_at=due0,
                        new_due_at=new_due if status == RequestStatus.APPROVED else None,
                    )
                )
                self.event(
                    plan,
                    EventKind.EXTENSION_REQUESTED,
                    asked,
                    manager,
                    lead_name,
                    f"{ExtensionStep.FIRST_REPORT.label} 기한 {days}일 연장을 요청했습니다. 사유: {reason}",
                    {"request_id": ext_id, "step": ExtensionStep.FIRST_REPORT.value, "days": days},
                )
                if status == RequestStatus.APPROVED:
                    plan.ext_decided_at, plan.ext_new_due, due = decided, new_due, new_due
                    self.event(
                        plan,
                        EventKind.EXTENSION_APPROVED,
                        decided,
                        planner,
                        self.dept_name[self.depts[0].pk],
                        f"{ExtensionStep.FIRST_REPORT.label} 기한 연장 승인: {fmt(due0)} → {fmt(new_due)}",
                        {"request_id": ext_id, "old_due_at": due0.isoformat(), "new_due_at": new_due.isoformat()},
                    )
                elif status == RequestStatus.RETURNED:
                    self.event(
                        plan,
                        EventKind.EXTENSION_RETURNED,
                        decided,
                        planner,
                        self.dept_name[self.depts[0].pk],
                        f"기한 연장 요청(+{days}일)을 반려했습니다. 의견: 증빙 자료를 보완해 다시 요청 바랍니다.",
                        {"request_id": ext_id},
                    )
            first_at = cal.add_working_hours(due0, dt.timedelta(hours=rng.randint(1, days * 8 - 1)))
        elif last and u < 0.02 and not big:  # never reported (this year)
            first_at = None
        elif u < 0.12 and not big:  # late
            first_at = cal.add_working_hours(due, dt.timedelta(hours=rng.randint(1, 24)))
        else:
            first_at = cal.add_working_hours(
                shared_at, dt.timedelta(hours=rng.randint(1, max(2, plan.report_days * 8 - 9)))
            )
        first_at = self.seen(first_at)
        escalate_at = due + 5 * MINUTE
        if escalate_at <= now and (first_at is None or first_at > escalate_at):
            escalations.append(("first_report", due, escalate_at))
        if first_at is None:
            return
        plan.first_reported_at = first_at
        on_time = " (기한 내)" if first_at <= due else " (기한 경과)"
        self.report(
            plan,
            ReportKind.FIRST,
            first_at,
            writer,
            lead,
            f"{plan.title}: 담당 팀을 지정하고 세부 추진계획을 수립하고 있습니다.",
            on_time,
        )

        # follow-up reports, then the close request (unless left open)
        final, _, reason, transfer_to = _pick(rng, FINAL_CHOICES)  # type: ignore[arg-type]
        if plan.kind == Kind.EXHORTATION:
            final, reason, transfer_to = State.COMPLETED, "", ""
        needs_result = plan.kind == Kind.ORDER and final == State.COMPLETED
        followups = BIG_REPORTS if big else max(0, self.ctx.scale.reports_per_directive - 1)
        stays_open = big or (not last and rng.random() < 0.01)
        moment = first_at
        gap = (3, 8) if big else (5, 40)
        for i in range(followups):
            day = self.work.after(moment.date(), rng.randint(*gap) if not big else 4)
            moment = _at(day, dt.time(rng.choice([10, 11, 14, 15, 16]), rng.choice([0, 10, 20, 30, 40, 50])))
            is_result = needs_result and not stays_open and i == followups - 1
            kind = ReportKind.RESULT if is_result else ReportKind.PROGRESS
            at = self.seen(moment)
            if at is None:
                return
            plan.followup_at = plan.followup_at or at
            if is_result:
                plan.result_reported_at = at
                body = f"{plan.title}을(를) 마쳤습니다. 세부 결과는 첨부 보고서와 같습니다."
            else:
                body = rng.choice(PROGRESS_TEXT)
            self.report(plan, kind, at, self.writer(lead.pk), lead, body, "")
        if stays_open or (plan.kind == Kind.ORDER and final == State.COMPLETED and plan.result_reported_at is None):
            return
        returned_first = rng.random() < 0.04
        asked = _at(self.work.after(moment.date(), rng.randint(1, 5)), dt.time(10, 0))
        if returned_first:
            decided = _at(self.work.after(asked.date(), rng.randint(1, 3)), dt.time(11, 0))
            if not self.close(plan, final, reason, transfer_to, asked, decided, manager, lead_name, returned=True):
                return
            asked = _at(self.work.after(decided.date(), rng.randint(2, 5)), dt.time(10, 0))
        decided = _at(self.work.after(asked.date(), rng.randint(1, 3)), dt.time(11, 0))
        self.close(plan, final, reason, transfer_to, asked, decided, manager, lead_name, returned=False)

    def result_escalation(self, plan: Plan, escalations: list) -> None:
        """The sweep's result escalation: an open, shared order whose result due time passed without the result."""
        due = plan.result_due_at
        if due is None or plan.kind != Kind.ORDER or due + 5 * MINUTE > self.now:
            return
        sweep_at = due + 5 * MINUTE
        done, closed = plan.result_reported_at, plan.closed_at
        if (done is None or done > sweep_at) and (closed is None or closed > sweep_at):
            escalations.append(("result", due, sweep_at))

    def report(
        self, plan: Plan, kind: str, at: dt.datetime, author: tuple[int | None, str], lead: Any, body: str, on_time: str
    ) -> None:
        report_id = self._id(DirectiveReport)
        self.reports.append(
            dict(
                id=report_id,
                directive_id=plan.id,
                department_id=lead.pk,
                kind=kind,
                body=body,
                author_id=author[0],
                created_at=at,
            )
        )
        label = ReportKind(kind).label
        self.event(
            plan,
            EventKind.REPORTED,
            at,
            author,
            self.dept_name[lead.pk],
            f"{label}{on_time}: {body[:200]}",
            {"report_id": report_id, "kind": str(kind), "attachments": 0},
        )

    def close(
        self,
        plan: Plan,
        final: str,
        reason: str,
        transfer_to: str,
        asked: dt.datetime,
        decided: dt.datetime,
        manager: tuple[int | None, str],
        lead_name: str,
        *,
        returned: bool,
    ) -> bool:
        """A close request, approved or returned when decided by now; False when it is still pending."""
        if asked > self.now:
            return False
        request_id = self._id(CloseRequest)
        done = decided <= self.now
        status = (RequestStatus.RETURNED if returned else RequestStatus.APPROVED) if done else RequestStatus.PENDING
        comment = "추진 실적 자료를 보완해 다시 요청 바랍니다." if returned else ""
        self.closes.append(
            dict(
                id=request_id,
                directive_id=plan.id,
                final_state=final,
                reason=reason,
                transfer_to=transfer_to,
                requested_by_id=manager[0],
                requested_at=asked,
                status=status,
                decided_by_id=self.approver[0] if done else None,
                decided_at=decided if done else None,
                comment=comment if done else "",
            )
        )
        detail = f" → {transfer_to}" if final == State.TRANSFERRED else ""
        self.event(
            plan,
            EventKind.CLOSE_REQUESTED,
            asked,
            manager,
            lead_name,
            f"{State(final).label}{detail}(으)로 종결을 요청했습니다." + (f" 사유: {reason}" if reason else ""),
            {"request_id": request_id, "final_state": final},
        )
        office = self.dept_name[self.depts[0].pk]
        if not done:
            plan.extra["close_requested_at"] = asked
            return False
        if returned:
            self.event(
                plan,
                EventKind.CLOSE_RETURNED,
                decided,
                self.approver,
                office,
                f"종결 요청({State(final).label})을 반려했습니다. 의견: {comment}",
                {"request_id": request_id},
            )
            return True
        plan.closed_at, plan.final_state = decided, final
        plan.extra.update(close_reason=reason, transfer_to=transfer_to)
        self.event(
            plan,
            EventKind.CLOSE_APPROVED,
            decided,
            self.approver,
            office,
            f"{State(final).label}(으)로 종결을 승인했습니다.",
            {"request_id": request_id, "final_state": final},
        )
        return True

    def finish(
        self,
        plan: Plan,
        lead: Any,
        source: str,
        giver: str,
        klass: dict,
        registered_at: dt.datetime,
        registered_by: int | None,
        escalations: list,
    ) -> None:
        markers: dict[str, dt.datetime] = {}
        for step, due, at in escalations:
            markers[f"{step}_escalated_at"] = at
            self.event(
                plan,
                EventKind.ESCALATED,
                at,
                (None, "시스템"),
                "",
                f"{STEP_LABELS[step]} 기한({fmt(due)}) 경과를 부서장과 기획감사실에 알렸습니다.",
                {"step": step, "due": due.isoformat()},
            )
        state = plan.at(self.now)["state"]
        first_due = plan.ext_new_due if plan.ext_decided_at is not None else plan.first_due0
        self.plans.append(plan)
        self.directives.append(
            dict(
                id=plan.id,
                year=plan.year,
                quarter=plan.quarter,
                seq=plan.seq,
                number=plan.number,
                given_at=plan.given_at,
                source=source,
                given_by=giver,
                kind=plan.kind,
                title=plan.title,
                content=f"{giver} {source} 지시: {plan.title}. 추진 계획과 일정을 보고 바랍니다.",
                lead_department_id=lead.pk,
                deadline_class=klass["name"],
                report_days=klass["days"],
                state=state,
                registered_by_id=registered_by,
                registered_at=registered_at,
                share_due_at=plan.share_due_at,
                shared_at=plan.shared_at,
                share_late=plan.share_late,
                first_report_due_at=first_due,
                first_reported_at=plan.first_reported_at,
                result_due_at=plan.result_due_at,
                result_reported_at=plan.result_reported_at,
                close_requested_at=plan.extra.get("close_requested_at"),
                closed_at=plan.closed_at,
                close_reason=plan.extra.get("close_reason", ""),
                transfer_to=plan.extra.get("transfer_to", ""),
                share_escalated_at=markers.get("share_escalated_at"),
                first_report_escalated_at=markers.get("first_report_escalated_at"),
                result_escalated_at=markers.get("result_escalated_at"),
            )
        )

    # --- reviews -----------------------------------------------------------------------------------
    def quarterly_reviews(self) -> Iterator[QuarterlyReview]:
        for year in self.ctx.years:
            for quarter in range(1, 5):
                end = reviews.quarter_end(year, quarter)
                approve_at = _at(self.work.after(end.date() - dt.timedelta(days=1), 5), dt.time(10, 0))
                if approve_at > self.now:
                    continue
                data = review_snapshot(self.plans, year, quarter, approve_at, self.dept_order)
                yield QuarterlyReview(
                    year=year,
                    quarter=quarter,
                    status=ReviewStatus.APPROVED,
                    snapshot=data,
                    approved_by_id=self.approver[0],
                    approved_at=approve_at,
                    note=f"{year}년 {quarter}분기 지시사항 점검 결과를 확정합니다.",
                )


def generate(ctx: BenchContext) -> None:
    build(ctx)


def build(ctx: BenchContext) -> Generator:
    """Fill the tables; returns the generator with its plans (the tests replay them)."""
    gen = Generator(ctx)
    DirectiveScheme.objects.bulk_create(
        [
            DirectiveScheme(
                year=year,
                deadline_classes=[dict(c) for c in DEFAULT_DEADLINE_CLASSES],
                sources=list(DEFAULT_SOURCES),
                givers=list(DEFAULT_GIVERS),
            )
            for year in ctx.years
        ]
    )
    counts = ctx.spread(ctx.scale.directives, ctx.years)
    with ctx.progress("지시사항 계획", ctx.scale.directives) as bar:
        for year, count in zip(ctx.years, counts, strict=True):
            gen.year(year, count)
            bar.update(count)
    DirectiveCounter.objects.bulk_create(gen.counters)
    insert_rows(ctx, Directive, gen.directives, desc="지시사항")
    insert_rows(ctx, DirectiveAssignment, gen.assignments, desc="지시사항 담당부서")
    insert_rows(ctx, DirectiveReport, gen.reports, desc="지시사항 보고")
    insert_rows(ctx, ExtensionRequest, gen.extensions, desc="기한 연장 요청")
    insert_rows(ctx, CloseRequest, gen.closes, desc="종결 요청")
    insert_rows(ctx, DirectiveEvent, gen.events, desc="지시사항 처리 이력")
    with connection.cursor() as cursor:  # explicit ids above: move the sequences past them (PostgreSQL)
        for sql in connection.ops.sequence_reset_sql(
            no_style(), [Directive, DirectiveReport, CloseRequest, ExtensionRequest]
        ):
            cursor.execute(sql)
    ctx.bulk_create(QuarterlyReview, gen.quarterly_reviews(), desc="분기별 점검", total=len(ctx.years) * 4)
    return gen


def pages() -> list[BenchPage]:
    """The directive pages as the planning office (sees everything) and as department D002's manager and staff."""
    from django.db.models import Count
    from django.urls import reverse

    year = Directive.objects.aggregate(y=Max("year"))["y"] or dt.date.today().year
    big = (
        DirectiveReport.objects.values("directive__number")
        .annotate(n=Count("id"))
        .order_by("-n", "directive__number")
        .values_list("directive__number", flat=True)
        .first()
    )
    latest = Directive.objects.filter(year=year).aggregate(q=Max("quarter"))["q"] or 1
    frozen = QuarterlyReview.objects.filter(year=year, status=ReviewStatus.APPROVED).aggregate(q=Max("quarter"))["q"]
    base = reverse("directives:list")
    result = [
        BenchPage("지시사항 목록", base),
        BenchPage("지시사항 목록(연도)", f"{base}?year={year}"),
        BenchPage("지시사항 목록(미종결)", f"{base}?state=open"),
        BenchPage("지시사항 목록(기한 경과)", f"{base}?overdue=on"),
        BenchPage("지시사항 목록(부서·연도)", f"{base}?year={year}&department=D002"),
        BenchPage("지시사항 목록(연도·검색)", f"{base}?year={year}&q=딸기"),
        BenchPage("지시사항 목록(마지막 쪽)", f"{base}?page=last"),
        BenchPage("지시사항 목록(부서장)", base, role="manager"),
        BenchPage("우리 부서 지시사항(부서장)", reverse("directives:inbox"), role="manager"),
        BenchPage("우리 부서 지시사항(담당)", reverse("directives:inbox"), role="staff"),
        BenchPage("분기별 점검 목록", f"{reverse('directives:reviews')}?year={year}"),
        BenchPage("분기별 점검(진행 중 분기)", reverse("directives:review", args=[year, latest])),
        BenchPage("기준 설정", reverse("directives:scheme")),
    ]
    if frozen:
        result.append(BenchPage("분기별 점검(확정)", reverse("directives:review", args=[year, frozen])))
    if big:
        detail = reverse("directives:detail", args=[big])
        result += [BenchPage("지시사항 상세", detail), BenchPage("지시사항 상세(부서장)", detail, role="manager")]
    return result

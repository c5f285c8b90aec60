"""Benchmark data for core: city closures and a long, correctly hash-chained audit trail.

The audit rows are appended after every other module's data (order 900) with the same hash chain as
``audit.log_action`` (so ``hwallyu audit_verify`` passes on a bench database), in bulk instead of one locked
append per row."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.urls import reverse

from hwallyu.core.audit import GENESIS, _content, _row_hash
from hwallyu.core.benchdata import BenchContext, BenchPage
from hwallyu.core.models import AuditChainHead, AuditEvent, Closure

SEOUL = ZoneInfo("Asia/Seoul")
ACTIONS = [
    ("directives.directive", "directive.report", "지시사항"),
    ("directives.directive", "directive.share", "지시사항"),
    ("workplan.project", "project.progress", "사업"),
    ("reviews.submission", "submission.submit", "심사분석 제출"),
    ("performance.actual", "actual.accept", "성과 실적"),
    ("province.actual", "actual.submit", "도 평가 실적"),
    ("org.person", "person.update", "직원"),
    ("surveys.survey", "survey.update", "만족도 조사"),
]


def generate_closures(ctx: BenchContext) -> None:
    """The city's own closures, before any module computes a deadline (order 12)."""
    from hwallyu.core.calendar import reset_calendar_cache

    Closure.objects.bulk_create(
        [
            Closure(date=dt.date(year, 5, 2), name="시 개청 기념 휴무")
            for year in ctx.years
            if dt.date(year, 5, 2).weekday() < 5
        ]
    )
    reset_calendar_cache()


def generate(ctx: BenchContext) -> None:
    rng = ctx.rng("core")
    from hwallyu.org.selectors import people

    staff = list(
        people().values_list("user_id", "user__username", "user__first_name", "department_id", "department__name")
    )
    head = AuditChainHead.objects.filter(pk=1).first()
    prev = head.last_hash if head else GENESIS
    count = head.count if head else 0
    start = dt.datetime(ctx.years[0], 1, 2, 9, tzinfo=SEOUL)
    span = (dt.datetime(ctx.today.year, ctx.today.month, ctx.today.day, 18, tzinfo=SEOUL) - start).total_seconds()
    total = ctx.scale.audit_events
    moments = sorted(start + dt.timedelta(seconds=rng.random() * span) for _ in range(total))
    with ctx.progress("감사 기록", total) as bar:
        for batch in ctx.batches(range(total)):
            events = []
            for i in batch:
                user_id, username, name, dept_id, dept_name = staff[rng.randrange(len(staff))]
                target_type, action, label = ACTIONS[rng.randrange(len(ACTIONS))]
                target_id = rng.randrange(1, 10_000)
                event = AuditEvent(
                    at=moments[i],
                    actor_id=user_id,
                    actor_name=f"{name} ({username})",
                    action=action,
                    target_type=target_type,
                    target_id=str(target_id),
                    target_repr=f"{label} {target_id}",
                    department_id=dept_id,
                    department_name=dept_name,
                    before={"상태": "진행"},
                    after={"상태": "완료"} if i % 3 else {"진척률": rng.randrange(0, 101)},
                    prev_hash=prev,
                )
                event.hash = prev = _row_hash(prev, _content(event))
                events.append(event)
            AuditEvent.objects.bulk_create(events)
            bar.update(len(events))
    count += total
    AuditChainHead.objects.update_or_create(pk=1, defaults={"last_hash": prev, "count": count})


def dashboard_block_pages() -> list[BenchPage]:
    """Every dashboard block the planning office and a department head load, each timed as a page
    (without htmx: the whole page a browser without JavaScript gets, which costs more than the
    fragment); the audit team's blocks that neither sees (청렴) are timed for the auditor."""
    from django.contrib.auth import get_user_model

    from hwallyu.core.benchdata import BENCH_ACCOUNTS
    from hwallyu.core.navigation import dashboard_blocks

    users = {u.username: u for u in get_user_model().objects.filter(username__in=BENCH_ACCOUNTS.values())}
    out: list[BenchPage] = []
    seen: set[str] = set()
    for role, suffix, only_new in (
        ("planning", "", False),
        ("manager", "(부서장)", False),
        ("audit", "(감사팀)", True),
    ):
        user = users.get(BENCH_ACCOUNTS[role])
        if user is None:
            continue
        for block in dashboard_blocks(user):
            if only_new and block.key in seen:
                continue
            seen.add(block.key)
            path = reverse("core:dashboard_block", args=[block.key])
            out.append(BenchPage(f"첫 화면 {block.title}{suffix}", path, role=role))
    return out


def pages() -> list[BenchPage]:
    return [
        BenchPage("첫 화면(대시보드)", reverse("core:home")),
        BenchPage("첫 화면(부서장)", reverse("core:home"), role="manager"),
        BenchPage("첫 화면(담당자)", reverse("core:home"), role="staff"),
        *dashboard_block_pages(),
        BenchPage("업무일·휴무일", reverse("core:calendar")),
        BenchPage("감사 기록", reverse("core:audit")),
        BenchPage("감사 기록(검색)", reverse("core:audit") + "?action=directive.report"),
    ]

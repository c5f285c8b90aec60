"""Reminders to departments that have not submitted (working-time calendar).

For each open round and each department with drafts still unsent:

* one working day before the due time (D-1, the calendar's ``reminder_before``);
* on the due day, once the day's work has begun;
* after the due time, once per working day until the department submits (escalated to
  the department manager too).

Every notice carries a ``dedupe_key``; the sweep is safe to run again and again, and two
workers never send the same reminder twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.urls import reverse
from django.utils import timezone

from hwallyu.core.calendar import get_calendar
from hwallyu.notifications.services import notify
from hwallyu.org import selectors as org
from hwallyu.org.models import Role
from hwallyu.reviews import selectors
from hwallyu.reviews.models import PENDING_STATUSES, ReviewRound, RoundStatus, Submission


def _stage(round_: ReviewRound, now: dt.datetime) -> tuple[str, str] | None:
    """(stage key, message) due now for this round, or None."""
    if round_.due_at is None:
        return None
    calendar = get_calendar()
    scheme = selectors.scheme_for(round_.year)
    before_on = scheme.reminder_before if scheme else True
    overdue_on = scheme.remind_overdue if scheme else True
    due = timezone.localtime(round_.due_at)
    local_now = timezone.localtime(now)
    due_text = f"{due:%Y-%m-%d %H:%M}"
    if now >= round_.due_at:
        if not overdue_on or not calendar.is_working_day(local_now.date()):
            return None
        return f"overdue:{local_now:%Y%m%d}", f"제출 기한({due_text})이 지났습니다. 바로 제출해 주세요."
    day_start = dt.datetime.combine(due.date(), calendar.blocks[0][0], tzinfo=due.tzinfo)
    if now >= day_start:
        return "due-day", f"오늘({due_text}) 제출 마감입니다."
    if before_on and now >= calendar.reminder_before(round_.due_at):
        return "d-1", f"제출 마감({due_text})이 하루(근무일) 남았습니다."
    return None


def sweep(now: dt.datetime | None = None) -> int:
    """Send the reminders that are due; returns how many notices went out."""
    now = now or timezone.now()
    sent = 0
    for round_ in ReviewRound.objects.filter(status=RoundStatus.OPEN, due_at__isnull=False):
        stage = _stage(round_, now)
        if stage is None:
            continue
        key, message = stage
        pending: dict[Any, list[str]] = defaultdict(list)
        for sub in Submission.objects.filter(round=round_, status__in=PENDING_STATUSES).select_related(
            "target", "target__department"
        ):
            pending[sub.target.department].append(sub.target.title)
        for department, titles in pending.items():
            roles = (Role.MANAGER, Role.STAFF)
            recipients = org.users_with_role(*roles, department=department)
            if not recipients:
                continue
            shown = ", ".join(titles[:5]) + (f" 외 {len(titles) - 5}건" if len(titles) > 5 else "")
            if notify(
                recipients=recipients,
                title=f"[{round_.title}] 심사분석 실적 미제출 {len(titles)}건",
                body=f"{message}\n대상: {shown}",
                url=reverse("reviews:round", args=[round_.pk]),
                kind="reviews.reminder",
                dedupe_key=f"reviews:round:{round_.pk}:dept:{department.pk}:{key}",
            ):
                sent += 1
    return sent

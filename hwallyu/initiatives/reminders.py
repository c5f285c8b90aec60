"""Reminders before the planned dates of open pipeline stages (working-time calendar).

For each open stage of an initiative in preparation or in progress, the owning team (or, when
the team has nobody, the planning office) is told:

* N working days before the planned date, for each N of the initiative's ``reminder_days``
  (default 10 and 1), from the start of that working day;
* on the planned day itself, from the start of the working day;
* once when the planned date has passed without the stage being done (only within
  ``LATE_NOTICE_DAYS`` of the date, so importing old plans does not flood anyone).

Only the most urgent reminder due is sent, and every notice carries a ``dedupe_key`` holding
the stage and its planned date: the sweep is safe to rerun, two workers never send the same
reminder, and a moved date gets fresh reminders.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from hwallyu.core.calendar import WorkCalendar, get_calendar
from hwallyu.initiatives.models import OPEN_STATUSES, Initiative, Milestone, MilestoneState
from hwallyu.notifications.services import notify
from hwallyu.org import selectors as org

LATE_NOTICE_DAYS = 30
HORIZON_DAYS = 120


def working_days_before(cal: WorkCalendar, day: dt.date, n: int) -> dt.date:
    """The working day ``n`` working days before ``day`` (0: ``day`` or the working day before it)."""
    current = day if cal.is_working_day(day) else cal.previous_working_day(day)
    for _ in range(n):
        current = cal.previous_working_day(current)
    return current


def _start_of_work(cal: WorkCalendar, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, cal.blocks[0][0], tzinfo=cal.tz)


def stage_due(milestone: Milestone, now: dt.datetime, cal: WorkCalendar) -> tuple[str, str] | None:
    """(key, message) of the reminder due now for ``milestone``, or None."""
    planned = milestone.planned_on
    if planned is None or milestone.state == MilestoneState.DONE:
        return None
    local = timezone.localtime(now)
    today = local.date()
    label = milestone.planned_label()
    if today > planned:
        if (today - planned).days > LATE_NOTICE_DAYS or not cal.is_working_day(today):
            return None
        return "late", f"계획일({label})이 지났으나 완료되지 않았습니다."
    if today == planned or (not cal.is_working_day(planned) and today == working_days_before(cal, planned, 0)):
        if local >= _start_of_work(cal, today):
            return "due", f"오늘이 계획일({label})입니다."
        return None
    for n in sorted(milestone.initiative.reminder_offsets()):
        if n == 0:
            continue
        day = working_days_before(cal, planned, n)
        if local >= _start_of_work(cal, day):
            return f"d{n}", f"계획일({label})까지 {n}근무일 남았습니다."
    return None


def recipients_for(initiative: Initiative) -> list[Any]:
    team = initiative.team
    members = [p.user for p in org.people(team.department) if p.team_id == team.pk and p.user.is_active]
    return members or org.planning_office_users()


def sweep(now: dt.datetime | None = None) -> int:
    """Send the reminders that are due; returns how many notices went out."""
    now = now or timezone.now()
    cal = get_calendar()
    today = timezone.localtime(now).date()
    stages = (
        Milestone.objects.filter(
            initiative__status__in=OPEN_STATUSES,
            planned_on__isnull=False,
            planned_on__gte=today - dt.timedelta(days=LATE_NOTICE_DAYS),
            planned_on__lte=today + dt.timedelta(days=HORIZON_DAYS),
        )
        .exclude(state=MilestoneState.DONE)
        .select_related("initiative", "initiative__team", "initiative__team__department")
        .order_by("planned_on", "id")
    )
    sent = 0
    for milestone in stages:
        due = stage_due(milestone, now, cal)
        if due is None:
            continue
        key, message = due
        initiative = milestone.initiative
        if notify(
            recipients=recipients_for(initiative),
            title=f"[{initiative.name}] {milestone.name}",
            body=f"{message}\n결정 기관: {milestone.deciding_body or '-'}",
            url=reverse("initiatives:milestones", args=[initiative.pk]),
            kind="initiatives.reminder",
            dedupe_key=f"initiatives:milestone:{milestone.pk}:{milestone.planned_on:%Y%m%d}:{key}",
        ):
            sent += 1
    return sent

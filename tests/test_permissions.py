"""Every URL × every role → the status code the user gets.

One table, one test.  Each row is a ``Case``: the URL name, a factory for its kwargs (it may
create the objects the URL points at, through the apps' services or models), the method and
the expected status for each of the ``org`` fixture's roles:

* 200 — the page opens;
* 302 — a redirect; for ``anonymous`` it must be to the sign-in page (``LOGIN``);
* 403 — the role may see the thing but not do this (policy ``check``);
* 404 — the object is outside the role's scope (policy ``get_visible_or_404``);
* 405 — wrong method (POST-only actions opened with GET).

Each (case, role) request runs in a savepoint that is rolled back, so a POST by one role never
changes what the next role sees.  ``test_every_named_url_is_in_the_table`` fails when an app
adds a named URL without a row here: add it to the app's section below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from hwallyu.core.testing import TestOrg

ROLES = ("anonymous", "admin", "planner", "auditor", "manager", "staff", "executive", "other_manager")
SIGNED_IN = ROLES[1:]
OFFICE = ("admin", "planner", "auditor")  # 기획감사실: system admin, planning, audit team
LOGIN = 302  # anonymous users are sent to the sign-in page

Kwargs = Callable[[TestOrg], dict[str, Any]]


def no_kwargs(org: TestOrg) -> dict[str, Any]:
    return {}


def everyone(status: int = 200, *, anonymous: int = LOGIN) -> dict[str, int]:
    """Every signed-in role gets ``status``."""
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, status)}


def only(roles: Iterable[str], status: int = 200, *, others: int = 403, anonymous: int = LOGIN) -> dict[str, int]:
    """``roles`` get ``status``, the other signed-in roles ``others``."""
    allowed = set(roles)
    unknown = allowed - set(SIGNED_IN)
    assert not unknown, f"unknown roles {unknown}"
    return {"anonymous": anonymous, **{r: status if r in allowed else others for r in SIGNED_IN}}


@dataclass(frozen=True)
class Case:
    url_name: str
    expect: Mapping[str, int]
    kwargs: Kwargs = no_kwargs
    method: str = "get"
    data: Callable[[TestOrg], dict[str, Any]] | None = None
    note: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.url_name}" + (f" ({self.note})" if self.note else "")


# --- object factories (one per kind of object a URL points at) -----------------------------------
def planner_notification(org: TestOrg) -> dict[str, Any]:
    from hwallyu.notifications.models import Notification

    notice = Notification.objects.create(recipient=org.planner, title="기한 임박")
    return {"notification_id": notice.id}


def _directive(org: TestOrg, *, share: bool = True, report: bool = False, close: bool = False) -> Any:
    """A directive of org.dept (미래전략과) given two hours ago, through the directives services."""
    import datetime as dt

    from django.utils import timezone

    from hwallyu.directives import services

    now = timezone.now()
    directive = services.directive_register(
        data=services.DirectiveInput(
            title="권한 점검용 지시",
            given_at=now - dt.timedelta(hours=2),
            source="간부회의",
            given_by="시장",
            lead_department=org.dept,
        ),
        actor=org.planner,
    )
    if share:
        directive = services.directive_share(directive=directive, actor=org.planner, at=now - dt.timedelta(hours=1))
    if report or close:
        services.directive_report(directive=directive, actor=org.staff, kind="first", body="착수")
    if close:
        services.directive_close_request(directive=directive, actor=org.manager, final_state="장기추진")
    return directive


def shared_directive(org: TestOrg) -> dict[str, Any]:
    return {"number": _directive(org).number}


def unshared_directive(org: TestOrg) -> dict[str, Any]:
    return {"number": _directive(org, share=False).number}


def reported_directive(org: TestOrg) -> dict[str, Any]:
    return {"number": _directive(org, report=True).number}


def close_requested_directive(org: TestOrg) -> dict[str, Any]:
    return {"number": _directive(org, close=True).number}


def pending_extension(org: TestOrg) -> dict[str, Any]:
    from hwallyu.directives import services

    directive = _directive(org)
    extension = services.directive_extension_request(directive=directive, actor=org.manager, days=2, reason="일정")
    return {"number": directive.number, "extension_id": extension.pk}


def past_quarter(org: TestOrg) -> dict[str, Any]:
    return {"year": 2024, "quarter": 1}


def staff_api_token(org: TestOrg) -> dict[str, Any]:
    from hwallyu.accounts import services

    token, _raw = services.api_token_create(user=org.staff, name="통계 연계")
    return {"pk": token.pk}


CALENDAR_MANAGERS = ("admin", "planner")  # the planning office and system admins edit closures and hours
AUDIT_READERS = ("admin", "planner")  # the audit trail is the planning office's and the admins'


def calendar_closure(org: TestOrg) -> dict[str, Any]:
    import datetime as dt

    from hwallyu.core import services

    closure = services.closure_add(date=dt.date(2030, 3, 13), name="개청기념일", actor=org.planner)
    return {"closure_id": closure.pk}


def working_hours_form(org: TestOrg) -> dict[str, Any]:
    return {"morning_start": "09:00", "morning_end": "12:00", "afternoon_start": "13:00", "afternoon_end": "17:00"}


ORG_MANAGERS = ("admin", "planner")  # the planning office's planners and system admins manage the organisation


def org_dept(org: TestOrg) -> dict[str, Any]:
    return {"pk": org.dept.pk}


def org_team(org: TestOrg) -> dict[str, Any]:
    return {"pk": org.planning.teams.get(name="혁신기획팀").pk}


def org_staff_person(org: TestOrg) -> dict[str, Any]:
    return {"pk": org.staff.person.pk}


def org_bureau(org: TestOrg) -> dict[str, Any]:
    from hwallyu.org.models import Bureau

    return {"pk": Bureau.objects.get(code="B01").pk}


def org_group(org: TestOrg) -> dict[str, Any]:
    from hwallyu.org.models import EvaluationGroup

    return {"pk": EvaluationGroup.objects.get(code="G1").pk}


CASES: list[Case] = [
    # --- core: home, health, working-time calendar (everyone reads, the office edits), audit trail --
    Case("core:home", everyone(200)),
    # the dashboard's blocks: each answers as its own permission says (the htmx fragment and the page)
    Case("core:dashboard_block", everyone(200), kwargs=lambda o: {"key": "directives"}, note="지시사항"),
    Case(
        "core:dashboard_block",
        everyone(200),
        kwargs=lambda o: {"key": "directives"},
        headers={"HX-Request": "true"},
        note="지시사항, htmx fragment",
    ),
    Case("core:dashboard_block", only(["admin", "planner"]), kwargs=lambda o: {"key": "org"}, note="조직: the office"),
    Case(
        "core:dashboard_block",
        only(["admin", "planner", "auditor", "executive"]),
        kwargs=lambda o: {"key": "surveys"},
        headers={"HX-Request": "true"},
        note="행정만족도: readers",
    ),
    Case("core:dashboard_block", only([]), kwargs=lambda o: {"key": "integrity"}, note="청렴: designated handlers"),
    Case("core:dashboard_block", everyone(404), kwargs=lambda o: {"key": "no-such-block"}, note="unknown block"),
    Case("core:healthz", everyone(200, anonymous=200)),
    Case("core:calendar", everyone(200)),
    Case(
        "core:calendar_deadline",
        everyone(200),
        data=lambda o: {"start": "2024-09-13T10:00", "mode": "days", "days": "3"},
        headers={"HX-Request": "true"},
        note="htmx fragment",
    ),
    Case(
        "core:calendar_deadline",
        everyone(302),
        data=lambda o: {"start": "2024-09-13T10:00", "mode": "days", "days": "3"},
        note="without htmx: to the calendar page",
    ),
    Case("core:closure_add", everyone(405), note="POST only"),
    Case(
        "core:closure_add",
        only(CALENDAR_MANAGERS, 302),
        method="post",
        data=lambda o: {"date": "2030-03-13", "name": "개청기념일"},
    ),
    Case("core:closure_remove", everyone(405), kwargs=calendar_closure, note="POST only"),
    Case("core:closure_remove", only(CALENDAR_MANAGERS, 302), kwargs=calendar_closure, method="post"),
    Case("core:working_hours", everyone(405), note="POST only"),
    Case("core:working_hours", only(CALENDAR_MANAGERS, 302), method="post", data=working_hours_form),
    Case("core:audit", only(AUDIT_READERS)),
    Case("core:audit_export", only(AUDIT_READERS)),
    # --- accounts: sign-in, sign-out, second factor, 내 계정 (2FA setup, API tokens, password), security --
    Case("accounts:login", everyone(302, anonymous=200), note="signed-in users go home"),
    Case("accounts:logout", everyone(405, anonymous=405), note="sign-out is POST only"),
    Case("accounts:logout", everyone(302, anonymous=302), method="post"),
    Case("accounts:otp", everyone(200)),
    Case("accounts:settings", everyone(200)),
    Case("accounts:password_change", everyone(200)),
    Case("accounts:security", only(["admin"])),
    Case("accounts:otp_setup_start", everyone(405), note="POST only"),
    Case("accounts:otp_setup_start", everyone(302), method="post", note="back to 내 계정 with a QR code"),
    Case("accounts:otp_setup_confirm", everyone(405), note="POST only"),
    Case("accounts:otp_setup_confirm", everyone(200), method="post", note="no pending setup: the form's error"),
    Case("accounts:otp_remove", everyone(405), note="POST only"),
    Case("accounts:otp_remove", everyone(200), method="post", note="no code: the form's error"),
    Case("accounts:token_create", everyone(405), note="POST only"),
    Case(
        "accounts:token_create",
        everyone(200),
        method="post",
        data=lambda o: {"name": "통계 연계"},
        note="the new token is shown once",
    ),
    Case("accounts:token_revoke", everyone(405), kwargs=staff_api_token, note="POST only"),
    Case(
        "accounts:token_revoke",
        only(["staff"], 302, others=404),
        kwargs=staff_api_token,
        method="post",
        note="someone else's token is not found",
    ),
    # --- org: everyone reads departments; planning office + admin manage; managers see their people --
    Case("org:departments", everyone(200)),
    Case("org:department", everyone(200), kwargs=org_dept),
    Case("org:department_create", only(ORG_MANAGERS)),
    Case("org:department_edit", only(ORG_MANAGERS), kwargs=org_dept),
    Case("org:department_deactivate", everyone(405), kwargs=org_dept, note="POST only"),
    Case("org:department_deactivate", only(ORG_MANAGERS, 302), kwargs=org_dept, method="post"),
    Case("org:department_activate", only(ORG_MANAGERS, 302), kwargs=org_dept, method="post"),
    Case("org:department_delete", only(ORG_MANAGERS, 302), kwargs=org_dept, method="post", note="in use: refused"),
    Case("org:department_export", everyone(200), kwargs=lambda o: {"fmt": "xlsx"}),
    Case("org:department_export", everyone(200), kwargs=lambda o: {"fmt": "hwpx"}, note="hwpx"),
    Case("org:department_export", everyone(404), kwargs=lambda o: {"fmt": "pdf"}, note="unknown format"),
    Case("org:team_create", only(ORG_MANAGERS, 200), kwargs=org_dept, method="post", note="errors re-render"),
    Case("org:team_edit", only(ORG_MANAGERS), kwargs=org_team),
    Case("org:people", only([*ORG_MANAGERS, "manager", "other_manager"])),
    Case("org:person_create", only(ORG_MANAGERS)),
    Case(
        "org:person_edit",
        {**only(ORG_MANAGERS, others=404), "manager": 403, "staff": 403},
        kwargs=org_staff_person,
        note="the manager and the person see it, may not edit it; others do not find it",
    ),
    Case(
        "org:person_deactivate",
        {**only(ORG_MANAGERS, 302, others=404), "manager": 403, "staff": 403},
        kwargs=org_staff_person,
        method="post",
    ),
    Case(
        "org:person_activate",
        {**only(ORG_MANAGERS, 302, others=404), "manager": 403, "staff": 403},
        kwargs=org_staff_person,
        method="post",
    ),
    Case(
        "org:person_password",
        {**only(ORG_MANAGERS, 200, others=404), "manager": 403, "staff": 403},
        kwargs=org_staff_person,
        method="post",
        note="an empty form re-renders with its errors",
    ),
    Case("org:bureaus", only(ORG_MANAGERS)),
    Case("org:bureau_edit", only(ORG_MANAGERS), kwargs=org_bureau),
    Case("org:groups", only(ORG_MANAGERS)),
    Case("org:group_edit", only(ORG_MANAGERS), kwargs=org_group),
    Case("org:city", only(ORG_MANAGERS)),
    Case("org:import", only(ORG_MANAGERS)),
    Case("org:import_template", only(ORG_MANAGERS)),
    # --- notifications: the list, the bell fragment, marking read ------------------------------
    Case("notifications:list", everyone(200)),
    Case("notifications:bell", everyone(200)),
    Case("notifications:read_all", everyone(405), note="POST only"),
    Case("notifications:read_all", everyone(302), method="post"),
    Case("notifications:read", everyone(405), kwargs=planner_notification, note="POST only"),
    Case(
        "notifications:read",
        only(["planner"], 302, others=404),
        kwargs=planner_notification,
        method="post",
        note="someone else's notice is not found",
    ),
    # --- directives: planning office does all; department roles only their shared directives ----
    Case("directives:list", everyone(200)),
    Case("directives:inbox", only(["manager", "staff", "other_manager"])),
    Case("directives:create", only(["admin", "planner"])),
    Case("directives:bulk", only(["admin", "planner"])),
    Case("directives:scheme", only(["admin", "planner"])),
    Case("directives:reviews", only(["admin", "planner", "auditor", "executive"])),
    Case("directives:review", only(["admin", "planner", "auditor", "executive"]), kwargs=past_quarter),
    Case(
        "directives:review",
        only(["admin", "planner"], 302),
        kwargs=past_quarter,
        method="post",
        data=lambda org: {"note": ""},
        note="approve (freeze)",
    ),
    Case(
        "directives:review_download",
        only(["admin", "planner", "auditor", "executive"]),
        kwargs=lambda org: {**past_quarter(org), "fmt": "xlsx"},
    ),
    Case("directives:detail", {**everyone(200), "other_manager": 404}, kwargs=shared_directive),
    Case(
        "directives:detail",
        {**only(["admin", "planner", "auditor", "executive"], others=404)},
        kwargs=unshared_directive,
        note="not shared yet: departments do not see it",
    ),
    Case("directives:share", everyone(405), kwargs=unshared_directive, note="POST only"),
    Case(
        "directives:share",
        {**only(["admin", "planner"], 302), "manager": 404, "staff": 404, "other_manager": 404},
        kwargs=unshared_directive,
        method="post",
    ),
    Case(
        "directives:acknowledge",
        {**only(["admin", "planner", "manager", "staff"], 302), "other_manager": 404},
        kwargs=shared_directive,
        method="post",
    ),
    Case(
        "directives:report",
        {**only(["admin", "planner", "manager", "staff"], 302), "other_manager": 404},
        kwargs=shared_directive,
        method="post",
        data=lambda org: {"kind": "first", "body": "착수"},
    ),
    Case(
        "directives:close_request",
        {**only(["admin", "planner", "manager"], 302), "other_manager": 404},
        kwargs=reported_directive,
        method="post",
        data=lambda org: {"final_state": "long_term", "reason": "장기 과제"},
    ),
    Case(
        "directives:close_approve",
        {**only(["admin", "planner"], 302), "other_manager": 404},
        kwargs=close_requested_directive,
        method="post",
    ),
    Case(
        "directives:close_return",
        {**only(["admin", "planner"], 302), "other_manager": 404},
        kwargs=close_requested_directive,
        method="post",
        data=lambda org: {"comment": "보완 바랍니다."},
    ),
    Case(
        "directives:extension_request",
        {**only(["admin", "planner", "manager"], 302), "other_manager": 404},
        kwargs=shared_directive,
        method="post",
        data=lambda org: {"days": 2, "reason": "일정"},
    ),
    Case(
        "directives:extension_approve",
        {**only(["admin", "planner"], 302), "other_manager": 404},
        kwargs=pending_extension,
        method="post",
    ),
    Case(
        "directives:extension_return",
        {**only(["admin", "planner"], 302), "other_manager": 404},
        kwargs=pending_extension,
        method="post",
        data=lambda org: {"comment": "반려"},
    ),
]

# --- workplan, pledges, reviews (업무계획 · 공약 · 심사분석) ------------------------------------------
# Everyone signed in reads the plan; the office manages it; departments (manager, staff and the
# audit team for 기획감사실's own tasks) edit their own tasks and projects while the plan is open.
# Review submissions are scoped to the department (others: 404); the manager approves.
WP_OFFICE = ("admin", "planner")
WP_WRITERS = ("admin", "planner", "auditor", "manager", "staff", "other_manager")
WP_DEPT = ("admin", "planner", "manager", "staff")
REVIEW_HIDDEN = {"auditor": 404, "other_manager": 404}


def wp_plan(org: TestOrg) -> dict[str, Any]:
    from hwallyu.workplan.tests.factories import make_plan

    make_plan(org)
    return {"year": 2024}


def wp_locked_plan(org: TestOrg) -> dict[str, Any]:
    from hwallyu.workplan import services
    from hwallyu.workplan.tests.factories import make_plan

    services.plan_lock(plan=make_plan(org).plan, actor=org.planner)
    return {"year": 2024}


def wp_goal(org: TestOrg) -> dict[str, Any]:
    from hwallyu.workplan.tests.factories import make_plan

    return {"goal_id": make_plan(org).goal.pk}


def wp_task(org: TestOrg) -> dict[str, Any]:
    from hwallyu.workplan.tests.factories import make_plan

    return {"task_id": make_plan(org).task.pk}


def wp_project(org: TestOrg) -> dict[str, Any]:
    from hwallyu.workplan.tests.factories import make_plan

    return {"project_id": make_plan(org).project.pk}


def wp_line(org: TestOrg) -> dict[str, Any]:
    from hwallyu.workplan.tests.factories import make_plan

    return {"line_id": make_plan(org).line.pk}


def pl_pledge(org: TestOrg) -> dict[str, Any]:
    from hwallyu.pledges import services

    category = services.category_save(name="경제", actor=org.planner)
    pledge = services.pledge_create(
        code="1-1", title="공약", category=category, department=org.dept, state_code="normal", actor=org.planner
    )
    return {"pledge_id": pledge.pk}


def pl_state(org: TestOrg) -> dict[str, Any]:
    from hwallyu.pledges import services

    scheme = services.scheme_create(year=2024, actor=org.planner)
    return {"state_id": scheme.states.get(code="on_hold").pk}


def pl_public_on(org: TestOrg) -> dict[str, Any]:
    from hwallyu.pledges import services

    services.public_page_update(enabled=True, title="공약 이행 현황", intro="", actor=org.planner)
    return {}


def rv_round(org: TestOrg, *, open_round: bool = True) -> Any:
    from hwallyu.reviews.tests.factories import make_review

    return make_review(org, open_round=open_round)


def rv_draft_round(org: TestOrg) -> dict[str, Any]:
    return {"round_id": rv_round(org, open_round=False).round.pk}


def rv_open_round(org: TestOrg) -> dict[str, Any]:
    return {"round_id": rv_round(org).round.pk}


def rv_target(org: TestOrg) -> dict[str, Any]:
    return {"target_id": rv_round(org, open_round=False).target.pk}


def rv_draft(org: TestOrg) -> dict[str, Any]:
    return {"submission_id": rv_round(org).submission.pk}


def rv_submitted(org: TestOrg) -> dict[str, Any]:
    from hwallyu.reviews import services

    fixture = rv_round(org)
    services.submission_save(submission=fixture.submission, progress=50, work_done="계획대로", actor=org.staff)
    services.submission_submit(submission=fixture.submission, actor=org.staff)
    return {"submission_id": fixture.submission.pk}


def rv_approved(org: TestOrg) -> dict[str, Any]:
    from hwallyu.reviews import services

    fixture = rv_round(org)
    services.submission_save(submission=fixture.submission, progress=50, work_done="계획대로", actor=org.manager)
    services.submission_submit(submission=fixture.submission, actor=org.manager)
    return {"submission_id": fixture.submission.pk}


def rv_final_state(org: TestOrg) -> dict[str, Any]:
    from hwallyu.reviews.models import AssessmentState

    return {"final_state": AssessmentState.objects.get(scheme__year=2024, code="normal").pk, "comment": "양호"}


def rv_alternative(org: TestOrg) -> dict[str, Any]:
    from hwallyu.reviews import services
    from hwallyu.reviews.models import Submission

    submission = Submission.objects.get(pk=rv_approved(org)["submission_id"])
    return {"alternative_id": services.alternative_add(submission=submission, text="일정 재조정", actor=org.planner).pk}


def rv_state(org: TestOrg) -> dict[str, Any]:
    from hwallyu.reviews import services

    return {"state_id": services.scheme_ensure(2024).states.get(code="long_term").pk}


def rv_category(org: TestOrg) -> dict[str, Any]:
    from hwallyu.reviews import services

    return {"category_id": services.scheme_ensure(2024).delay_categories.first().pk}


CASES += [
    # workplan
    Case("workplan:index", everyone(200)),
    Case("workplan:plan_create", only(WP_OFFICE)),
    Case("workplan:plan_import", only(WP_OFFICE)),
    Case("workplan:current_projects", everyone(302), note="no plan yet: to the list of years"),
    Case("workplan:current_schedule", everyone(302), kwargs=lambda o: (wp_plan(o), {})[1]),
    Case("workplan:current_budget", everyone(302)),
    Case("workplan:current_report", everyone(302)),
    Case("workplan:plan", everyone(200), kwargs=wp_plan),
    Case("workplan:plan_edit", only(WP_OFFICE), kwargs=wp_plan),
    Case("workplan:plan_lock", only(WP_OFFICE, 302), kwargs=wp_plan, method="post"),
    Case("workplan:plan_unlock", only(WP_OFFICE, 302), kwargs=wp_locked_plan, method="post"),
    Case("workplan:plan_export", everyone(200), kwargs=wp_plan),
    Case("workplan:goal_create", only(WP_WRITERS), kwargs=wp_plan),
    Case("workplan:goal_edit", only((*WP_OFFICE, "auditor")), kwargs=wp_goal, note="기획감사실's goal"),
    Case("workplan:task_create", only(WP_WRITERS), kwargs=wp_plan),
    Case("workplan:task", everyone(200), kwargs=wp_task),
    Case("workplan:task_edit", only(WP_DEPT), kwargs=wp_task),
    Case("workplan:project_create", only(WP_DEPT), kwargs=wp_task),
    Case("workplan:projects", everyone(200), kwargs=wp_plan),
    Case("workplan:project", everyone(200), kwargs=wp_project),
    Case("workplan:project_edit", only(WP_DEPT), kwargs=wp_project),
    Case("workplan:project_progress", only(WP_DEPT), kwargs=wp_project),
    Case("workplan:project_delete", only(WP_DEPT, 302), kwargs=wp_project, method="post"),
    Case("workplan:schedule", everyone(200), kwargs=wp_plan),
    Case("workplan:budget", everyone(200), kwargs=wp_plan),
    Case("workplan:budget_import", only(WP_OFFICE), kwargs=wp_plan),
    Case("workplan:budget_line_create", only(WP_OFFICE), kwargs=wp_plan),
    Case("workplan:budget_header_clear", only(WP_OFFICE, 302), kwargs=wp_plan, method="post"),
    Case("workplan:budget_line_edit", only(WP_OFFICE), kwargs=wp_line),
    Case("workplan:budget_line_delete", only(WP_OFFICE, 302), kwargs=wp_line, method="post"),
    Case("workplan:budget_execution", only(WP_DEPT), kwargs=wp_line),
    Case("workplan:report", everyone(200), kwargs=wp_plan),
    # pledges
    Case("pledges:list", everyone(200)),
    Case("pledges:stats", everyone(200)),
    Case("pledges:create", only(WP_OFFICE)),
    Case("pledges:categories", only(WP_OFFICE)),
    Case("pledges:scheme", only(WP_OFFICE)),
    Case("pledges:scheme_year", only(WP_OFFICE), kwargs=lambda o: {"year": 2025}),
    Case("pledges:state_edit", only(WP_OFFICE), kwargs=pl_state),
    Case("pledges:state_delete", only(WP_OFFICE, 302), kwargs=pl_state, method="post"),
    Case("pledges:public_settings", only(WP_OFFICE)),
    Case("pledges:public", everyone(404, anonymous=404), note="switched off: a polite 404 page"),
    Case("pledges:public", everyone(200, anonymous=200), kwargs=pl_public_on, note="switched on: no login"),
    Case("pledges:detail", everyone(200), kwargs=pl_pledge),
    Case("pledges:edit", only(WP_OFFICE), kwargs=pl_pledge),
    Case("pledges:note_create", only(WP_DEPT), kwargs=pl_pledge),
    Case("pledges:target_edit", only(WP_DEPT), kwargs=pl_pledge),
    # reviews
    Case("reviews:rounds", everyone(200)),
    Case("reviews:round_create", only(WP_OFFICE)),
    Case("reviews:round", everyone(200), kwargs=rv_open_round),
    Case("reviews:round_edit", only(WP_OFFICE), kwargs=rv_draft_round),
    Case("reviews:round_open", only(WP_OFFICE, 302), kwargs=rv_draft_round, method="post"),
    Case("reviews:round_close", only(WP_OFFICE, 302), kwargs=rv_open_round, method="post"),
    Case("reviews:round_report", only((*WP_OFFICE, "executive")), kwargs=rv_open_round),
    Case("reviews:targets", everyone(200)),
    Case("reviews:target_create", only(WP_OFFICE)),
    Case("reviews:target", {**only((*WP_OFFICE, "executive", "manager", "staff")), **REVIEW_HIDDEN}, kwargs=rv_target),
    Case("reviews:target_edit", {**only(WP_OFFICE), **REVIEW_HIDDEN}, kwargs=rv_target),
    Case(
        "reviews:submission", {**only((*WP_OFFICE, "executive", "manager", "staff")), **REVIEW_HIDDEN}, kwargs=rv_draft
    ),
    Case("reviews:submission_edit", {**only(WP_DEPT), **REVIEW_HIDDEN}, kwargs=rv_draft),
    Case(
        "reviews:submission_submit",
        {**only(WP_DEPT, 302), **REVIEW_HIDDEN},
        kwargs=rv_draft,
        method="post",
        note="an incomplete draft is refused with a message",
    ),
    Case(
        "reviews:submission_approve",
        {**only((*WP_OFFICE, "manager"), 302), **REVIEW_HIDDEN},
        kwargs=rv_submitted,
        method="post",
    ),
    Case(
        "reviews:submission_return",
        {**only((*WP_OFFICE, "manager"), 302), **REVIEW_HIDDEN},
        kwargs=rv_submitted,
        method="post",
        data=lambda o: {"reason": "보완 바랍니다."},
    ),
    Case(
        "reviews:submission_assess",
        {**only(WP_OFFICE, 302), **REVIEW_HIDDEN},
        kwargs=rv_approved,
        method="post",
        data=rv_final_state,
    ),
    Case(
        "reviews:alternative_add",
        {**only(WP_OFFICE, 302), **REVIEW_HIDDEN},
        kwargs=rv_approved,
        method="post",
        data=lambda o: {"text": "일정 재조정"},
    ),
    Case(
        "reviews:alternative_convert", {**only(WP_OFFICE, 302), **REVIEW_HIDDEN}, kwargs=rv_alternative, method="post"
    ),
    Case("reviews:scheme", only(WP_OFFICE)),
    Case("reviews:scheme_year", only(WP_OFFICE), kwargs=lambda o: {"year": 2024}),
    Case("reviews:state_edit", only(WP_OFFICE), kwargs=rv_state),
    Case("reviews:state_delete", only(WP_OFFICE, 302), kwargs=rv_state, method="post"),
    Case("reviews:category_delete", only(WP_OFFICE, 302), kwargs=rv_category, method="post"),
]

# --- performance (부서 성과관리) ----------------------------------------------------------------------
# The performance team (planner) and admin manage everything; executive and audit team read every
# department and the results; manager and staff work on their own department (another: 404), only
# the manager asks for approval; a department sees its own drill-down.
PERF_OFFICE = ("admin", "planner")
PERF_READERS = ("admin", "planner", "auditor", "executive")
PERF_OWN = {**only([*PERF_READERS, "manager", "staff"]), "other_manager": 404}


def perf_year(org: TestOrg) -> dict[str, Any]:
    """A 2024 scheme: 미래전략과 with an approved indicator and a submitted 1st-quarter actual,
    a common task and a bonus entry, through the performance services."""
    from decimal import Decimal

    from hwallyu.performance import services

    scheme = services.scheme_create(year=2024, actor=org.planner)
    indicator_set = scheme.sets.get(department=org.dept)
    indicator = services.indicator_create(
        indicator_set=indicator_set,
        data=services.IndicatorData(name="민원 처리율", weight=Decimal(100), target=Decimal(95)),
        actor=org.planner,
    )
    services.set_approve(indicator_set=indicator_set, actor=org.planner)
    actual = services.actual_submit(indicator=indicator, quarter=1, value=Decimal(30), actor=org.staff)
    task = services.common_task_create(scheme=scheme, name="적극행정", max_points=Decimal(10), actor=org.planner)
    bonus = services.adjustment_create(
        scheme=scheme, department=org.dept, kind="bonus", points=Decimal(1), reason="우수", actor=org.planner
    )
    group = scheme.groups.get(code="G1")
    return {
        "year": 2024,
        "indicator": indicator.pk,
        "actual": actual.pk,
        "task": task.pk,
        "bonus": bonus.pk,
        "group": group.pk,
    }


def perf_exists(org: TestOrg) -> dict[str, Any]:
    """No URL arguments; the year exists (the "latest year" and "my department" redirects)."""
    perf_year(org)
    return {}


def perf_scheme(org: TestOrg) -> dict[str, Any]:
    return {"year": perf_year(org)["year"]}


def perf_dept(org: TestOrg) -> dict[str, Any]:
    return {"year": perf_year(org)["year"], "code": org.dept.code}


def perf_indicator(org: TestOrg) -> dict[str, Any]:
    return {"pk": perf_year(org)["indicator"]}


def perf_actual_form(org: TestOrg) -> dict[str, Any]:
    return {"pk": perf_year(org)["indicator"], "quarter": 2}


def perf_actual(org: TestOrg) -> dict[str, Any]:
    return {"pk": perf_year(org)["actual"]}


def perf_task(org: TestOrg) -> dict[str, Any]:
    refs = perf_year(org)
    return {"year": refs["year"], "pk": refs["task"]}


def perf_bonus(org: TestOrg) -> dict[str, Any]:
    refs = perf_year(org)
    return {"year": refs["year"], "pk": refs["bonus"]}


def perf_group(org: TestOrg) -> dict[str, Any]:
    refs = perf_year(org)
    return {"year": refs["year"], "pk": refs["group"]}


def perf_download(fmt: str, kind: str = "pay") -> Kwargs:
    return lambda org: {**perf_scheme(org), "kind": kind, "fmt": fmt}


CASES += [
    Case("performance:index", everyone(200)),
    Case("performance:scheme_create", only(PERF_OFFICE, 302), method="post", data=lambda o: {"year": 2030}),
    Case("performance:mine", only(["manager", "staff", "other_manager"], 302), note="no year yet: to the list"),
    Case("performance:mine", only(["manager", "staff", "other_manager"], 302), kwargs=perf_exists, note="own page"),
    Case("performance:latest_results", only(PERF_READERS, 302), kwargs=perf_exists),
    Case("performance:latest_review", only(PERF_OFFICE, 302), kwargs=perf_exists),
    Case(
        "performance:overview",
        {**only(PERF_READERS), "manager": 302, "staff": 302, "other_manager": 302},
        kwargs=perf_scheme,
        note="departments go to their own page",
    ),
    Case("performance:scheme", everyone(200), kwargs=perf_scheme),
    Case("performance:scheme", only(PERF_OFFICE, 200), kwargs=perf_scheme, method="post", note="errors re-render"),
    Case(
        "performance:scheme_delete", only(PERF_OFFICE, 302), kwargs=perf_scheme, method="post", note="in use: refused"
    ),
    Case("performance:groups", only(PERF_OFFICE), kwargs=perf_scheme),
    Case("performance:group_delete", only(PERF_OFFICE, 302), kwargs=perf_group, method="post", note="in use: refused"),
    Case("performance:departments", everyone(200), kwargs=perf_scheme, note="departments see their own row"),
    Case("performance:department", PERF_OWN, kwargs=perf_dept),
    Case(
        "performance:indicator_create",
        {**only([*PERF_OFFICE, "manager", "staff"]), "other_manager": 404},
        kwargs=perf_dept,
    ),
    Case(
        "performance:set_submit",
        {**only([*PERF_OFFICE, "manager"], 302), "other_manager": 404},
        kwargs=perf_dept,
        method="post",
        note="approved already: refused with a message",
    ),
    Case("performance:set_approve", {**only(PERF_OFFICE, 302), "other_manager": 404}, kwargs=perf_dept, method="post"),
    Case(
        "performance:set_return",
        {**only(PERF_OFFICE, 302), "other_manager": 404},
        kwargs=perf_dept,
        method="post",
        data=lambda o: {"comment": "목표 보완"},
    ),
    Case(
        "performance:indicator_edit",
        {**only([*PERF_OFFICE, "manager", "staff"]), "other_manager": 404},
        kwargs=perf_indicator,
    ),
    Case(
        "performance:indicator_delete",
        {**only([*PERF_OFFICE, "manager", "staff"], 302), "other_manager": 404},
        kwargs=perf_indicator,
        method="post",
        note="approved: refused with a message",
    ),
    Case(
        "performance:actual_edit",
        {**only([*PERF_OFFICE, "manager", "staff"]), "other_manager": 404},
        kwargs=perf_actual_form,
    ),
    Case(
        "performance:actual_accept", {**only(PERF_OFFICE, 302), "other_manager": 404}, kwargs=perf_actual, method="post"
    ),
    Case(
        "performance:actual_return",
        {**only(PERF_OFFICE, 302), "other_manager": 404},
        kwargs=perf_actual,
        method="post",
        data=lambda o: {"comment": "증빙 보완"},
    ),
    Case("performance:review", only(PERF_OFFICE), kwargs=perf_scheme),
    Case("performance:customer", only(PERF_OFFICE), kwargs=perf_scheme),
    Case("performance:customer_import", only(PERF_OFFICE, 302), kwargs=perf_scheme, method="post"),
    Case("performance:common", only(PERF_OFFICE), kwargs=perf_scheme),
    Case("performance:common_scores", only(PERF_OFFICE), kwargs=perf_task),
    Case("performance:common_delete", only(PERF_OFFICE, 302), kwargs=perf_task, method="post"),
    Case("performance:adjustments", only(PERF_OFFICE), kwargs=perf_scheme),
    Case("performance:adjustment_delete", only(PERF_OFFICE, 302), kwargs=perf_bonus, method="post"),
    Case("performance:results", only(PERF_READERS), kwargs=perf_scheme),
    Case("performance:freeze", only(PERF_OFFICE, 302), kwargs=perf_scheme, method="post"),
    Case("performance:freeze", everyone(405), kwargs=perf_scheme, note="POST only"),
    Case(
        "performance:reopen",
        only(PERF_OFFICE, 302),
        kwargs=perf_scheme,
        method="post",
        data=lambda o: {"reason": "정정"},
    ),
    Case("performance:drilldown", PERF_OWN, kwargs=perf_dept, note="a department sees its own"),
    Case("performance:whatif", only(PERF_READERS), kwargs=perf_scheme),
    Case("performance:download", only(PERF_READERS), kwargs=perf_download("xlsx")),
    Case("performance:download", only(PERF_READERS), kwargs=perf_download("hwpx", "results"), note="results hwpx"),
    Case("performance:download", only(PERF_READERS, 404), kwargs=perf_download("pdf"), note="unknown format"),
]

# --- province (위임사무 시군평가) ----------------------------------------------------------------------
# The performance team (planner) and admin manage years, imports, indicators and reviews; executive and
# audit team read everything (pack, peers, what-if) and change nothing; manager and staff enter actuals
# and do the qualitative work of their department's indicators (another department's: 404).
PV_OFFICE = ("admin", "planner")
PV_READERS = ("admin", "planner", "auditor", "executive")
PV_ENTERING = ("admin", "planner", "manager", "staff", "other_manager")
PV_OWNERS = {**only(["admin", "planner", "manager", "staff"], 302), "other_manager": 404}
PV_OFFICE_ON_OWN = {**only(PV_OFFICE, 302), "other_manager": 404}


def _pv_year(org: TestOrg) -> Any:
    from hwallyu.province import services
    from hwallyu.province.models import EvaluationYear

    return EvaluationYear.objects.filter(year=2024).first() or services.year_create(year=2024, actor=org.planner)


def _pv_indicator(org: TestOrg, code: str) -> Any:
    from decimal import Decimal

    from hwallyu.province import services

    year = _pv_year(org)
    quantitative = not code.startswith("Q")
    return services.indicator_create(
        evaluation_year=year,
        data=services.IndicatorInput(
            code=code,
            field="지역경제",
            name="권한 점검용 지표",
            kind="quantitative" if quantitative else "qualitative",
            points=Decimal(1),
            departments=[org.dept],
            direction="rising" if quantitative else "",
            target=Decimal(100) if quantitative else None,
        ),
        actor=org.planner,
    )


def pv_year(org: TestOrg) -> dict[str, Any]:
    _pv_year(org)
    return {"year": 2024}


def pv_quantitative(org: TestOrg) -> dict[str, Any]:
    return {"year": 2024, "code": _pv_indicator(org, "B-01").code}


def pv_qualitative(org: TestOrg) -> dict[str, Any]:
    return {"year": 2024, "code": _pv_indicator(org, "Q-01").code}


def pv_actual(org: TestOrg) -> dict[str, Any]:
    from hwallyu.province import services

    indicator = _pv_indicator(org, "B-01")
    actual = services.actual_submit(indicator=indicator, month=5, value=10, actor=org.staff)
    return {"year": 2024, "pk": actual.pk}


def pv_pack(fmt: str) -> Kwargs:
    def kwargs(org: TestOrg) -> dict[str, Any]:
        return {**pv_year(org), "month": 10, "fmt": fmt}

    return kwargs


CASES += [
    Case("province:home", everyone(302), note="to the latest year, or the year list"),
    Case("province:years", everyone(200)),
    Case("province:years", only(PV_OFFICE, 302), method="post", data=lambda o: {"year": 2030}, note="create"),
    Case("province:entry_current", only(PV_ENTERING, 302)),
    Case("province:lagging_current", everyone(302)),
    Case("province:review_current", only(PV_OFFICE, 302)),
    Case("province:pack_current", only(PV_READERS, 302)),
    Case("province:import_template", only(PV_OFFICE)),
    Case("province:peers", only(PV_READERS)),
    Case("province:peer_import", only(PV_OFFICE)),
    Case("province:year", everyone(200), kwargs=pv_year),
    Case("province:scheme", only(PV_OFFICE), kwargs=pv_year),
    Case("province:year_delete", everyone(405), kwargs=pv_year, note="POST only"),
    Case("province:year_delete", only(PV_OFFICE, 302), kwargs=pv_year, method="post"),
    Case("province:import", only(PV_OFFICE), kwargs=pv_year),
    Case("province:indicators", everyone(200), kwargs=pv_year),
    Case("province:indicator_create", only(PV_OFFICE), kwargs=pv_year),
    Case("province:indicator", {**everyone(200), "other_manager": 404}, kwargs=pv_quantitative),
    Case("province:indicator", {**everyone(200), "other_manager": 404}, kwargs=pv_qualitative, note="qualitative"),
    Case("province:indicator_edit", {**only(PV_OFFICE), "other_manager": 404}, kwargs=pv_quantitative),
    Case("province:indicator_delete", PV_OFFICE_ON_OWN, kwargs=pv_quantitative, method="post"),
    Case("province:actual_enter", everyone(405), kwargs=pv_quantitative, note="POST only"),
    Case(
        "province:actual_enter",
        PV_OWNERS,
        kwargs=pv_quantitative,
        method="post",
        data=lambda o: {"month": 6, "value": "20"},
    ),
    Case(
        "province:writeup_save",
        PV_OWNERS,
        kwargs=pv_qualitative,
        method="post",
        data=lambda o: {"title": "우수사례", "body": "내용"},
    ),
    Case(
        "province:consulting_add",
        PV_OWNERS,
        kwargs=pv_qualitative,
        method="post",
        data=lambda o: {"held_on": "2024-06-01", "expert": "전문가", "advice": "자문"},
    ),
    Case(
        "province:checklist_set",
        PV_OWNERS,
        kwargs=pv_qualitative,
        method="post",
        data=lambda o: {"label": "우수사례 작성", "checked": "on"},
    ),
    Case("province:qualitative_submit", PV_OWNERS, kwargs=pv_qualitative, method="post", note="checklist open"),
    Case("province:actual_accept", PV_OFFICE_ON_OWN, kwargs=pv_actual, method="post"),
    Case(
        "province:actual_return",
        PV_OFFICE_ON_OWN,
        kwargs=pv_actual,
        method="post",
        data=lambda o: {"comment": "보완"},
    ),
    Case("province:actual_delete", PV_OWNERS, kwargs=pv_actual, method="post"),
    Case("province:entry", only(PV_ENTERING), kwargs=pv_year),
    Case("province:review", only(PV_OFFICE), kwargs=pv_year),
    Case("province:lagging", everyone(200), kwargs=pv_year),
    Case("province:pack", only(PV_READERS), kwargs=pv_year),
    Case("province:pack_download", only(PV_READERS), kwargs=pv_pack("hwpx")),
    Case("province:pack_download", only(PV_READERS), kwargs=pv_pack("xlsx"), note="xlsx"),
    Case("province:pack_download", only(PV_READERS, 404), kwargs=pv_pack("pdf"), note="unknown format"),
    Case("province:what_if", only(PV_READERS), kwargs=pv_year),
]

# --- integrity (청렴) ----------------------------------------------------------------------------------
# The anonymous channel is open to everyone, signed in or not.  Cases: only the audit team's
# designated handler (the auditor, given a key here); nobody else, not even admin (403).  The
# handler list: audit team and admin.  Index and measures: audit team and admin edit, planning
# office and executives read.
INT_READERS = ("admin", "planner", "auditor", "executive")
INT_EDITORS = ("admin", "auditor")
INT_PUBLIC = dict.fromkeys(ROLES, 200)


def int_case(org: TestOrg) -> dict[str, Any]:
    """The auditor holds a designated key; one report with an attachment is filed."""
    from hwallyu.integrity.attachments import prepare
    from hwallyu.integrity.limits import guard
    from hwallyu.integrity.models import HandlerKey
    from hwallyu.integrity.services.cases import case_file
    from hwallyu.integrity.services.keys import handler_key_create

    guard.reset()  # the in-memory filing cap would otherwise count every row of this table
    if not HandlerKey.objects.filter(user=org.auditor).exists():
        org.auditor.__dict__.pop("_hwallyu_integrity_key", None)
        handler_key_create(actor=org.auditor, passphrase="권한 표 검사용 암호문구")
    case, _ = case_file(
        kind="report",
        category="conduct",
        title="제목",
        body="내용",
        files=[prepare("메모.txt", "메모".encode(), strip_metadata=False)],
    )
    return {"number": case.number}


def int_with_case(org: TestOrg) -> dict[str, Any]:
    int_case(org)
    return {}


def int_attachment(org: TestOrg) -> dict[str, Any]:
    from hwallyu.integrity.models import Case

    number = int_case(org)["number"]
    return {"number": number, "pk": Case.objects.get(number=number).attachments.get().pk}


def int_handler(org: TestOrg) -> dict[str, Any]:
    from hwallyu.integrity.models import HandlerKey

    int_case(org)
    return {"pk": HandlerKey.objects.get(user=org.auditor).pk}


def int_measures(org: TestOrg) -> dict[str, Any]:
    import datetime as dt

    from hwallyu.integrity.models import Broadcast, Measure, MeasurePlan

    plan = MeasurePlan.objects.create(year=2024)
    measure = Measure.objects.create(
        plan=plan, kind="other", title="시책", starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2024, 12, 31)
    )
    broadcast = Broadcast.objects.create(
        plan=plan, on_date=dt.date(2024, 1, 8), speaker_name="백시장", speaker_title="시장"
    )
    return {"year": 2024, "measure": measure.pk, "broadcast": broadcast.pk}


CASES += [
    Case("integrity:public_home", INT_PUBLIC),
    Case("integrity:public_new", INT_PUBLIC),
    Case("integrity:public_new", INT_PUBLIC, method="post", note="no form token: the form comes back"),
    Case("integrity:public_check", INT_PUBLIC),
    Case("integrity:public_check", INT_PUBLIC, method="post", note="no form token: the form comes back"),
    Case("integrity:public_reply", dict.fromkeys(ROLES, 405)),
    Case("integrity:public_reply", dict.fromkeys(ROLES, 404), method="post", note="no receipt: calm refusal"),
    Case("integrity:public_disclose", dict.fromkeys(ROLES, 405)),
    Case("integrity:public_disclose", dict.fromkeys(ROLES, 404), method="post", note="no receipt: calm refusal"),
    Case("integrity:case_list", only(["auditor"]), kwargs=int_with_case),
    Case("integrity:case_detail", only(["auditor"]), kwargs=int_case, note="locked: metadata only"),
    Case("integrity:case_message", only(["auditor"], 302), kwargs=int_case, method="post"),
    Case("integrity:case_advance", only(["auditor"], 302), kwargs=int_case, method="post"),
    Case("integrity:case_assign", only(["auditor"], 302), kwargs=int_case, method="post"),
    Case("integrity:case_action", only(["auditor"], 302), kwargs=int_case, method="post"),
    Case("integrity:attachment", only(["auditor"], 302), kwargs=int_attachment, note="locked: back to the case"),
    Case("integrity:key", only(["auditor"])),
    Case("integrity:key_create", only(["auditor"], 302), method="post"),
    Case("integrity:key_unlock", only(["auditor"], 302), method="post"),
    Case("integrity:key_lock", everyone(302), method="post"),
    Case("integrity:key_passphrase", only(["auditor"], 302), method="post"),
    Case("integrity:handlers", only(["admin", "auditor"])),
    Case("integrity:handler_designate", only(["auditor"], 302), kwargs=int_handler, method="post", note="locked"),
    Case("integrity:handler_revoke", only(["admin", "auditor"], 302), kwargs=int_handler, method="post", note="last"),
    Case("integrity:index", only(INT_READERS)),
    Case("integrity:index_edit", only(INT_EDITORS), kwargs=lambda o: {"year": 2024}),
    Case("integrity:scheme", only(INT_READERS)),
    Case("integrity:scheme", only(INT_EDITORS), method="post", note="errors re-render"),
    Case("integrity:measures", only(INT_READERS)),
    Case("integrity:measures_year", only(INT_READERS), kwargs=lambda o: {"year": 2024}),
    Case("integrity:measures_calendar", only(INT_READERS), kwargs=lambda o: {"year": 2024}),
    Case("integrity:measures_report", only(INT_READERS), kwargs=lambda o: {"year": 2024, "fmt": "xlsx"}),
    Case("integrity:plan_save", only(INT_EDITORS, 302), kwargs=lambda o: {"year": 2024}, method="post"),
    Case("integrity:measure_add", only(INT_EDITORS, 302), kwargs=lambda o: {"year": 2024}, method="post"),
    Case(
        "integrity:measure_edit",
        only(INT_EDITORS, 302),
        kwargs=lambda o: {"year": 2024, "pk": int_measures(o)["measure"]},
        method="post",
    ),
    Case("integrity:broadcast_add", only(INT_EDITORS, 302), kwargs=lambda o: {"year": 2024}, method="post"),
    Case("integrity:broadcast_relay", only(INT_EDITORS, 302), kwargs=lambda o: {"year": 2024}, method="post"),
    Case(
        "integrity:broadcast_done",
        only(INT_EDITORS, 302),
        kwargs=lambda o: {"year": 2024, "pk": int_measures(o)["broadcast"]},
        method="post",
    ),
    Case("integrity:auditor_add", only(INT_EDITORS, 302), kwargs=lambda o: {"year": 2024}, method="post"),
    Case("integrity:activity_add", only(INT_EDITORS, 302), kwargs=lambda o: {"year": 2024}, method="post"),
    Case("integrity:guide_add", only(INT_EDITORS, 302), kwargs=lambda o: {"year": 2024}, method="post"),
]

# --- initiatives (전략사업) -----------------------------------------------------------------------------
# Everyone in the planning office reads; admin and planners (incl. 혁신기획팀, 엑스포 TF팀) manage; the
# audit team and executives read only (403 on changes); department managers and staff read the
# initiatives their department works on (here 미래전략과 collaborates: 200 / 403), others do not find
# them (404).  Lists are open to every signed-in user and show only what they may see.
INI_MANAGERS = ("admin", "planner")
INI_READ = {**everyone(200), "other_manager": 404}
INI_MANAGE = {**only(INI_MANAGERS, 200), "other_manager": 404}
INI_MANAGE_POST = {**only(INI_MANAGERS, 302), "other_manager": 404}


def _ini(org: TestOrg) -> Any:
    from hwallyu.initiatives.tests.factories import make_initiative

    return make_initiative(org, name="권한 점검용 엑스포", kind="attraction")


def ini(org: TestOrg) -> dict[str, Any]:
    return {"pk": _ini(org).pk}


def ini_report(fmt: str) -> Kwargs:
    return lambda org: {"pk": _ini(org).pk, "fmt": fmt}


def _ini_part(kind: str) -> Kwargs:
    """An initiative with one part of ``kind``: {"pk": initiative, "item_id": part}."""

    def make(org: TestOrg) -> dict[str, Any]:
        import datetime as dt

        from hwallyu.initiatives import services
        from hwallyu.initiatives.models import Document

        initiative = _ini(org)
        actor = org.planner
        if kind == "milestone":
            item = services.milestone_create(initiative=initiative, actor=actor, name="기본계획 제출")
        elif kind == "criterion":
            item = services.criterion_create(initiative=initiative, actor=actor, review="국제행사 심사", name="경제성")
        elif kind == "partner":
            item = services.partner_create(initiative=initiative, actor=actor, name="SPC", kind="company")
        elif kind == "target":
            item = services.target_create(initiative=initiative, actor=actor, name="방문객", value=1, unit="명")
        elif kind == "budget":
            item = services.budget_line_create(
                initiative=initiative, actor=actor, year=2024, name="홍보", total=1, city=1
            )
        elif kind == "event":
            item = services.event_create(
                initiative=initiative, actor=actor, title="설명회", kind="briefing", starts_on=dt.date(2024, 4, 1)
            )
        elif kind == "institution":
            item = services.institution_create(initiative=initiative, actor=actor, name="국방AI센터", type="new")
        elif kind in ("contact", "meeting"):
            partner = services.partner_create(initiative=initiative, actor=actor, name="성심당", kind="company")
            if kind == "contact":
                item = services.contact_create(partner=partner, actor=actor, name="담당자")
            else:
                item = services.meeting_create(
                    partner=partner, actor=actor, held_on=dt.date(2024, 4, 15), summary="참여 협의"
                )
        elif kind == "institution_contact":
            target = services.institution_create(initiative=initiative, actor=actor, name="국방AI센터", type="new")
            item = services.institution_contact_create(
                institution=target, actor=actor, contacted_on=dt.date(2024, 2, 1), summary="방문"
            )
        elif kind == "document":  # a row only: deleting it in the rolled-back request never touches a file
            item = Document.objects.create(
                initiative=initiative, title="기획안", file="initiatives/none.pdf", filename="기획안.pdf", size=1
            )
        else:
            raise AssertionError(kind)
        return {"pk": initiative.pk, "item_id": item.pk}

    return make


def _ini_parent(kind: str) -> Kwargs:
    def make(org: TestOrg) -> dict[str, Any]:
        from hwallyu.initiatives import services

        initiative = _ini(org)
        if kind == "partner":
            parent = services.partner_create(initiative=initiative, actor=org.planner, name="성심당", kind="company")
        else:
            parent = services.institution_create(
                initiative=initiative, actor=org.planner, name="국방AI센터", type="new"
            )
        return {"pk": initiative.pk, "parent_id": parent.pk}

    return make


def ini_trend(org: TestOrg) -> dict[str, Any]:
    import datetime as dt

    from hwallyu.initiatives import services

    entry = services.trend_create(
        actor=org.planner, recorded_on=dt.date(2024, 1, 2), title="중점 유치 44개소", initiatives=[_ini(org)]
    )
    return {"item_id": entry.pk}


INI_TREND_EDIT = {**only(INI_MANAGERS, 200), "other_manager": 404}
INI_TREND_DELETE = {**only(INI_MANAGERS, 302), "other_manager": 404}

CASES += [
    Case("initiatives:portfolio", everyone(200)),
    Case("initiatives:create", only(INI_MANAGERS)),
    Case("initiatives:trends", everyone(200)),
    Case("initiatives:trend_create", only(INI_MANAGERS)),
    Case("initiatives:trend_edit", INI_TREND_EDIT, kwargs=ini_trend, note="department readers see it, may not edit"),
    Case("initiatives:trend_delete", everyone(405), kwargs=ini_trend, note="POST only"),
    Case("initiatives:trend_delete", INI_TREND_DELETE, kwargs=ini_trend, method="post"),
    Case("initiatives:detail", INI_READ, kwargs=ini),
    Case("initiatives:edit", INI_MANAGE, kwargs=ini),
    Case("initiatives:report", INI_READ, kwargs=ini_report("hwpx")),
    Case("initiatives:report", INI_READ, kwargs=ini_report("xlsx"), note="xlsx"),
    Case("initiatives:report", {**everyone(404)}, kwargs=ini_report("pdf"), note="unknown format"),
    # tabs
    *[
        Case(f"initiatives:{tab}", INI_READ, kwargs=ini)
        for tab in (
            "milestones",
            "readiness",
            "partners",
            "targets",
            "budget",
            "events",
            "event_calendar",
            "institutions",
            "initiative_trends",
            "documents",
        )
    ],
    Case("initiatives:partner", INI_READ, kwargs=_ini_part("partner")),
    Case("initiatives:institution", INI_READ, kwargs=_ini_part("institution")),
    # adding parts
    *[
        Case(f"initiatives:{name}_create", INI_MANAGE, kwargs=ini)
        for name in ("milestone", "criterion", "partner", "target", "budget", "event", "institution")
    ],
    Case("initiatives:document_upload", INI_MANAGE, kwargs=ini),
    Case("initiatives:contact_create", INI_MANAGE, kwargs=_ini_parent("partner")),
    Case("initiatives:meeting_create", INI_MANAGE, kwargs=_ini_parent("partner")),
    Case("initiatives:institution_contact_create", INI_MANAGE, kwargs=_ini_parent("institution")),
    # editing and deleting parts
    *[
        Case(f"initiatives:{name}_edit", INI_MANAGE, kwargs=_ini_part(name))
        for name in (
            "milestone",
            "criterion",
            "partner",
            "target",
            "budget",
            "event",
            "institution",
            "contact",
            "meeting",
            "institution_contact",
        )
    ],
    Case("initiatives:milestone_delete", everyone(405), kwargs=_ini_part("milestone"), note="POST only"),
    *[
        Case(f"initiatives:{name}_delete", INI_MANAGE_POST, kwargs=_ini_part(name), method="post")
        for name in (
            "milestone",
            "criterion",
            "partner",
            "target",
            "budget",
            "event",
            "institution",
            "contact",
            "meeting",
            "institution_contact",
            "document",
        )
    ],
    # actions with evidence
    Case("initiatives:milestone_complete", INI_MANAGE, kwargs=_ini_part("milestone")),
    Case("initiatives:partner_state", INI_MANAGE, kwargs=_ini_part("partner")),
    Case(
        "initiatives:partner_state",
        INI_MANAGE,
        kwargs=_ini_part("partner"),
        method="post",
        data=lambda o: {"state": "loi", "on": "2024-04-25"},
        note="signed without a document: the form comes back with the reason",
    ),
]

# --- surveys (행정만족도 조사) ---------------------------------------------------------------------------
# The audit team, the planning office and admins run rounds (settings, questions, imports, sends,
# incentives, templates, opt-outs); executives read the rounds and their results (403 on the rest).
# Department managers and staff do not see the module: module-wide pages answer 403, a round is
# outside their scope (404).  The citizen's link /s/<token> needs no login: every role, signed in
# or not, gets the same answer.
SV_MANAGERS = ("admin", "planner", "auditor")
SV_READERS = (*SV_MANAGERS, "executive")
SV_HIDDEN = dict.fromkeys(("manager", "staff", "other_manager"), 404)
SV_ROUND_READ = {**only(SV_READERS), **SV_HIDDEN}
SV_ROUND_MANAGE = {**only(SV_MANAGERS), **SV_HIDDEN}
SV_ROUND_ACTION = {**only(SV_MANAGERS, 302), **SV_HIDDEN}
SV_TOKEN = "permission-table-link-0001"  # the citizen's link of sv_link's invitation


def _sv_round(org: TestOrg, *, open_round: bool = False) -> Any:
    from hwallyu.surveys import services

    survey = services.survey_create(year=2024, quarter=None, title="권한 점검용 조사", template=None, actor=org.auditor)
    return services.survey_open(survey=survey, actor=org.auditor) if open_round else survey


def sv_draft(org: TestOrg) -> dict[str, Any]:
    return {"survey_id": _sv_round(org).pk}


def sv_open(org: TestOrg) -> dict[str, Any]:
    return {"survey_id": _sv_round(org, open_round=True).pk}


def sv_report(fmt: str) -> Kwargs:
    return lambda org: {**sv_open(org), "fmt": fmt}


def sv_template(org: TestOrg) -> dict[str, Any]:
    from hwallyu.surveys import services

    return {"template_id": services.default_template().pk}


def sv_import(org: TestOrg) -> dict[str, Any]:
    """A finished import's row only: its page shows the progress and never opens the file."""
    from hwallyu.surveys.models import RegisterImport

    survey = _sv_round(org, open_round=True)
    record = RegisterImport.objects.create(
        survey=survey, source="petition", file="survey_imports/none.csv", filename="민원.csv", status="done"
    )
    return {"survey_id": survey.pk, "import_id": record.pk}


def sv_link(org: TestOrg) -> dict[str, Any]:
    """An open round with one sent, unanswered invitation whose link is ``/s/SV_TOKEN``."""
    import datetime as dt

    from django.utils import timezone

    from hwallyu.surveys import phones
    from hwallyu.surveys.models import Invitation

    survey = _sv_round(org, open_round=True)
    Invitation.objects.create(
        survey=survey,
        department=org.dept,
        petition_type="건축허가",
        source="petition",
        phone_hash=phones.phone_hash(phones.normalize("010-2345-0001")),
        token=SV_TOKEN,
        status="queued",
        expires_at=timezone.now() + dt.timedelta(days=14),
    )
    return {"token": SV_TOKEN}


def sv_nonce(org: TestOrg) -> dict[str, Any]:
    from hwallyu.surveys.models import Invitation
    from hwallyu.surveys.public_views import make_nonce

    survey = Invitation.objects.get(token=SV_TOKEN).survey
    return {"nonce": make_nonce(SV_TOKEN, survey.id, survey.incentive_enabled)}


def sv_answer(org: TestOrg) -> dict[str, Any]:
    """Every question answered (4점, no bribe), with the form's nonce."""
    from hwallyu.surveys.models import Invitation

    survey = Invitation.objects.get(token=SV_TOKEN).survey
    values = {"scale5": "4", "yesno": "0"}
    return {**sv_nonce(org), **{f"q{q.id}": values.get(q.kind, "") for q in survey.questions.all()}}


CASES += [
    # rounds
    Case("surveys:list", {**only(SV_READERS), **dict.fromkeys(("manager", "staff", "other_manager"), 403)}),
    Case(
        "surveys:list",
        only(SV_MANAGERS, 302),
        method="post",
        data=lambda o: {"year": 2030, "quarter": "1", "title": ""},
        note="create a round",
    ),
    Case("surveys:detail", SV_ROUND_READ, kwargs=sv_open),
    Case("surveys:settings", SV_ROUND_MANAGE, kwargs=sv_draft),
    Case("surveys:settings", SV_ROUND_MANAGE, kwargs=sv_draft, method="post", note="errors re-render"),
    Case("surveys:questions", SV_ROUND_MANAGE, kwargs=sv_draft),
    Case("surveys:open", everyone(405), kwargs=sv_draft, note="POST only"),
    Case("surveys:open", SV_ROUND_ACTION, kwargs=sv_draft, method="post"),
    Case("surveys:close", everyone(405), kwargs=sv_open, note="POST only"),
    Case("surveys:close", SV_ROUND_ACTION, kwargs=sv_open, method="post"),
    # registers and sends
    Case("surveys:imports", SV_ROUND_MANAGE, kwargs=sv_open),
    Case("surveys:imports", SV_ROUND_MANAGE, kwargs=sv_open, method="post", note="no file: the form's error"),
    Case("surveys:import_detail", SV_ROUND_MANAGE, kwargs=sv_import),
    Case("surveys:invitations_send", everyone(405), kwargs=sv_open, note="POST only"),
    Case("surveys:invitations_send", SV_ROUND_ACTION, kwargs=sv_open, method="post", note="nobody to invite yet"),
    # results and incentives
    Case("surveys:results", SV_ROUND_READ, kwargs=sv_open),
    Case("surveys:report", SV_ROUND_READ, kwargs=sv_report("hwpx")),
    Case("surveys:report", SV_ROUND_READ, kwargs=sv_report("xlsx"), note="xlsx"),
    Case("surveys:report", {**everyone(404)}, kwargs=sv_report("pdf"), note="unknown format"),
    Case("surveys:incentives", SV_ROUND_MANAGE, kwargs=sv_open),
    Case(
        "surveys:incentives",
        SV_ROUND_ACTION,
        kwargs=sv_open,
        method="post",
        data=lambda o: {"action": "select"},
        note="draw winners",
    ),
    # question templates and opt-outs
    Case("surveys:templates", only(SV_MANAGERS)),
    Case("surveys:templates", only(SV_MANAGERS, 302), method="post", data=lambda o: {"name": "권한 점검 템플릿"}),
    Case("surveys:template_questions", only(SV_MANAGERS), kwargs=sv_template),
    Case("surveys:optouts", only(SV_MANAGERS)),
    Case("surveys:optouts", only(SV_MANAGERS, 302), method="post", data=lambda o: {"phone": "010-2345-0002"}),
    # the citizen's link (no login)
    Case("survey_public:answer", dict.fromkeys(ROLES, 200), kwargs=sv_link),
    Case(
        "survey_public:answer",
        dict.fromkeys(ROLES, 303),
        kwargs=sv_link,
        method="post",
        data=sv_answer,
        note="answered: to the thank-you page",
    ),
    Case(
        "survey_public:answer",
        dict.fromkeys(ROLES, 403),
        kwargs=sv_link,
        method="post",
        note="no form nonce: refused",
    ),
    Case("survey_public:answer", dict.fromkeys(ROLES, 404), kwargs=lambda o: {"token": "unknown"}, note="no link"),
    Case("survey_public:done", dict.fromkeys(ROLES, 303), kwargs=sv_link, note="not answered yet: back to the form"),
    Case("survey_public:optout", dict.fromkeys(ROLES, 405), kwargs=sv_link, note="POST only"),
    Case("survey_public:optout", dict.fromkeys(ROLES, 200), kwargs=sv_link, method="post", data=sv_nonce),
    Case(
        "survey_public:optout",
        dict.fromkeys(ROLES, 403),
        kwargs=sv_link,
        method="post",
        note="no form nonce: refused",
    ),
]

# Named URLs that are deliberately not in the table, with the reason.
NOT_IN_TABLE: dict[str, str] = {
    "province:evidence": "needs a stored file; hwallyu/province/tests/test_policies.py checks it per role",
    "performance:evidence": "needs a stored file; hwallyu/performance/tests/test_policies.py checks it per role",
    "performance:evidence_delete": "needs a stored file; hwallyu/performance/tests/test_policies.py checks it per role",
    "directives:attachment": "needs a stored file; hwallyu/directives/tests/test_policies.py checks it per role",
    "pledges:note_evidence": "needs a stored file; hwallyu/pledges/tests/test_pledges.py downloads it",
    "reviews:attachment": "needs a stored file; the submission page's scope (404) is the same _submission lookup",
    "initiatives:document_download": "needs a stored file; hwallyu/initiatives/tests/test_views.py checks its scope",
}

# Routes outside the table: the JSON API has its own tests (bearer tokens, 401/403 JSON answers).
EXCLUDED_PREFIXES = ("api/", "static/", "media/")


def _request(case: Case, org: TestOrg, role: str) -> tuple[int, str]:
    client = Client()
    user = org.users_by_role()[role]
    if user is not None:
        client.force_login(user)
    url = reverse(case.url_name, kwargs=case.kwargs(org))
    data = case.data(org) if case.data else {}
    response = getattr(client, case.method)(url, data, headers=dict(case.headers))
    return response.status_code, response.get("Location", "")


def test_every_url_for_every_role(org):
    from hwallyu.core.calendar import reset_calendar_cache

    login_url = reverse("accounts:login")
    failures = []
    for case in CASES:
        for role in ROLES:
            with transaction.atomic():
                status, location = _request(case, org, role)
                transaction.set_rollback(True)
            cache.clear()
            reset_calendar_cache()
            expected = case.expect[role]
            if status != expected:
                failures.append(f"{case.id:<55} {role:<14} expected {expected}, got {status} {location}")
            elif role == "anonymous" and expected == LOGIN and not location.startswith(login_url):
                failures.append(f"{case.id:<55} {role:<14} redirected to {location}, not to the sign-in page")
    assert not failures, "URL × role mismatches:\n" + "\n".join(failures)


def _named_urls(patterns: Iterable[Any], prefix: str = "", namespace: str = "") -> Iterable[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _named_urls(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + str(pattern.pattern), f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_named_url_is_in_the_table():
    covered = {case.url_name for case in CASES}
    missing = sorted(
        f"{name}  (/{route})"
        for route, name in _named_urls(get_resolver().url_patterns)
        if not route.startswith(EXCLUDED_PREFIXES) and name not in covered and name not in NOT_IN_TABLE
    )
    assert not missing, "URLs missing from tests/test_permissions.py CASES:\n" + "\n".join(missing)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_each_case_names_every_role_and_a_real_url(case):
    assert set(case.expect) == set(ROLES), f"{case.id}: roles {sorted(set(ROLES) ^ set(case.expect))}"
    assert all(status in {200, 302, 303, 403, 404, 405} for status in case.expect.values())
    assert case.method in {"get", "post"}
    names = {name for _, name in _named_urls(get_resolver().url_patterns)}
    assert case.url_name in names
    assert set(NOT_IN_TABLE) <= names

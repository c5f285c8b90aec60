"""Writes of the review analysis (심사분석).

Flow: the planning office selects targets and opens a round → each department writes a
draft per target and submits it → the department manager approves → the system proposes an
assessment from the gap between planned and actual progress → the planning office sets the
final assessment with comments and alternatives → an alternative becomes a directive.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from hwallyu.core.audit import diff, log_action, snapshot
from hwallyu.core.calendar import SEOUL, get_calendar
from hwallyu.notifications.services import notify
from hwallyu.org import selectors as org
from hwallyu.org.models import Department, Role
from hwallyu.pledges.models import Pledge
from hwallyu.reviews import policies as p
from hwallyu.reviews import selectors
from hwallyu.reviews.models import (
    Alternative,
    Assessment,
    AssessmentState,
    DelayCategory,
    ReviewRound,
    ReviewScheme,
    ReviewTarget,
    RoundKind,
    RoundStatus,
    Rule,
    Submission,
    SubmissionStatus,
)
from hwallyu.reviews.policies import reviews
from hwallyu.workplan.models import Project
from hwallyu.workplan.money import MAX_WON

SUBMISSION_FIELDS = (
    "progress",
    "work_done",
    "budget",
    "budget_executed",
    "budget_note",
    "issues",
    "delay_category",
    "delay_reason",
    "next_plan",
)
MAX_ATTACHMENT = 20 * 1024 * 1024
ATTACHMENT_TYPES = (".pdf", ".hwp", ".hwpx", ".xlsx", ".xls", ".docx", ".pptx", ".jpg", ".jpeg", ".png", ".zip")
QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


def _notify_on_commit(**kwargs: Any) -> None:
    transaction.on_commit(lambda: notify(**kwargs))


def _department_people(department: Department) -> list[Any]:
    return org.users_with_role(Role.MANAGER, Role.STAFF, department=department)


def submission_url(submission: Submission) -> str:
    return reverse("reviews:submission", args=[submission.pk])


# --- the year's scheme -------------------------------------------------------------------------


def scheme_ensure(year: int) -> ReviewScheme:
    """The year's scheme; created on first use by copying the nearest year's (or the defaults)."""
    scheme = ReviewScheme.objects.filter(year=year).first()
    if scheme is not None:
        return scheme
    source = selectors.scheme_for(year)
    with transaction.atomic():
        scheme, created = ReviewScheme.objects.get_or_create(year=year)
        if not created:
            return scheme
        if source is not None:
            scheme.reminder_before, scheme.remind_overdue = source.reminder_before, source.remind_overdue
            scheme.save(update_fields=["reminder_before", "remind_overdue"])
            AssessmentState.objects.bulk_create(
                [
                    AssessmentState(
                        scheme=scheme,
                        code=s.code,
                        label=s.label,
                        rule=s.rule,
                        gap_threshold=s.gap_threshold,
                        tone=s.tone,
                        order=s.order,
                    )
                    for s in source.states.all()
                ]
            )
            DelayCategory.objects.bulk_create(
                [DelayCategory(scheme=scheme, label=c.label, order=c.order) for c in source.delay_categories.all()]
            )
        else:
            AssessmentState.objects.bulk_create(
                [
                    AssessmentState(
                        scheme=scheme, code=code, label=label, rule=rule, gap_threshold=gap, tone=tone, order=i
                    )
                    for i, (code, label, rule, gap, tone) in enumerate(selectors.DEFAULT_STATES, start=1)
                ]
            )
            DelayCategory.objects.bulk_create(
                [
                    DelayCategory(scheme=scheme, label=label, order=i)
                    for i, label in enumerate(selectors.DEFAULT_DELAY_CATEGORIES, start=1)
                ]
            )
    return scheme


def scheme_create(*, year: int, actor: Any) -> ReviewScheme:
    reviews.check(actor, p.MANAGE)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "연도는 2000–2100 사이여야 합니다."})
    if ReviewScheme.objects.filter(year=year).exists():
        raise ValidationError({"year": f"{year}년 체계가 이미 있습니다."})
    with transaction.atomic():
        scheme = scheme_ensure(year)
        log_action(
            actor=actor,
            action="reviews.scheme_create",
            target=scheme,
            after={"states": [s.label for s in scheme.states.all()]},
        )
    return scheme


def scheme_settings_update(
    *, scheme: ReviewScheme, reminder_before: bool, remind_overdue: bool, actor: Any
) -> ReviewScheme:
    reviews.check(actor, p.MANAGE)
    with transaction.atomic():
        before = snapshot(scheme, ["reminder_before", "remind_overdue"])
        scheme.reminder_before, scheme.remind_overdue = reminder_before, remind_overdue
        scheme.save(update_fields=["reminder_before", "remind_overdue"])
        b, a = diff(before, snapshot(scheme, ["reminder_before", "remind_overdue"]))
        log_action(actor=actor, action="reviews.scheme_settings", target=scheme, before=b, after=a)
    return scheme


def _validate_state(
    scheme: ReviewScheme, rule: str, gap_threshold: Decimal | None, state: AssessmentState | None
) -> None:
    if rule not in Rule.values:
        raise ValidationError({"rule": "알 수 없는 제안 규칙입니다."})
    if rule == Rule.GAP:
        if gap_threshold is None:
            raise ValidationError({"gap_threshold": "격차 기준(%p)을 입력하세요."})
        if not Decimal(0) <= gap_threshold <= Decimal(100):
            raise ValidationError({"gap_threshold": "격차 기준은 0–100 사이여야 합니다."})
        clash = scheme.states.filter(rule=Rule.GAP, gap_threshold=gap_threshold)
        if state is not None:
            clash = clash.exclude(pk=state.pk)
        if clash.exists():
            raise ValidationError({"gap_threshold": "같은 격차 기준의 구분이 이미 있습니다."})
    elif rule in (Rule.DEFAULT, Rule.COMPLETE, Rule.LONG_TERM):
        clash = scheme.states.filter(rule=rule)
        if state is not None:
            clash = clash.exclude(pk=state.pk)
        if clash.exists():
            raise ValidationError({"rule": f"'{Rule(rule).label}' 규칙의 구분은 하나만 둘 수 있습니다."})


def state_save(
    *,
    scheme: ReviewScheme,
    code: str,
    label: str,
    rule: str,
    gap_threshold: Decimal | None = None,
    tone: str = "",
    order: int = 0,
    state: AssessmentState | None = None,
    actor: Any,
) -> AssessmentState:
    reviews.check(actor, p.MANAGE)
    code, label = code.strip(), label.strip()
    if not code or not label:
        raise ValidationError("코드와 이름을 입력하세요.")
    if rule != Rule.GAP:
        gap_threshold = None
    _validate_state(scheme, rule, gap_threshold, state)
    fields = ["code", "label", "rule", "gap_threshold", "tone", "order"]
    with transaction.atomic():
        try:
            with transaction.atomic():
                if state is None:
                    before: dict[str, Any] = {}
                    state = AssessmentState.objects.create(
                        scheme=scheme,
                        code=code,
                        label=label,
                        rule=rule,
                        gap_threshold=gap_threshold,
                        tone=tone,
                        order=order,
                    )
                else:
                    if state.scheme_id != scheme.pk:
                        raise ValidationError("다른 연도의 구분입니다.")
                    before = snapshot(state, fields)
                    state.code, state.label, state.rule = code, label, rule
                    state.gap_threshold, state.tone, state.order = gap_threshold, tone, order
                    state.save(update_fields=fields)
        except IntegrityError:
            raise ValidationError("같은 코드나 이름의 구분이 이미 있습니다.")
        b, a = diff(before, snapshot(state, fields))
        log_action(actor=actor, action="reviews.state_save", target=scheme, before=b, after=a)
    return state


def state_delete(*, state: AssessmentState, actor: Any) -> None:
    reviews.check(actor, p.MANAGE)
    with transaction.atomic():
        used = (
            Assessment.objects.filter(final_state=state).exists()
            or Assessment.objects.filter(proposed_state=state).exists()
        )
        if used:
            raise ValidationError(f"'{state.label}'은(는) 심사 결과에 쓰여 삭제할 수 없습니다.")
        record = snapshot(state, ["code", "label", "rule", "gap_threshold"])
        scheme = state.scheme
        state.delete()
        log_action(actor=actor, action="reviews.state_delete", target=scheme, before=record)


def delay_category_save(
    *, scheme: ReviewScheme, label: str, order: int = 0, category: DelayCategory | None = None, actor: Any
) -> DelayCategory:
    reviews.check(actor, p.MANAGE)
    label = label.strip()
    if not label:
        raise ValidationError({"label": "부진 사유 구분을 입력하세요."})
    with transaction.atomic():
        clash = scheme.delay_categories.filter(label=label)
        if category is not None:
            clash = clash.exclude(pk=category.pk)
        if clash.exists():
            raise ValidationError({"label": f"'{label}'이(가) 이미 있습니다."})
        if category is None:
            category = DelayCategory.objects.create(scheme=scheme, label=label, order=order)
            before: dict[str, Any] = {}
        else:
            before = snapshot(category, ["label", "order"])
            category.label, category.order = label, order
            category.save(update_fields=["label", "order"])
        b, a = diff(before, snapshot(category, ["label", "order"]))
        log_action(actor=actor, action="reviews.delay_category_save", target=scheme, before=b, after=a)
    return category


def delay_category_delete(*, category: DelayCategory, actor: Any) -> None:
    reviews.check(actor, p.MANAGE)
    with transaction.atomic():
        if Submission.objects.filter(delay_category=category).exists():
            raise ValidationError(f"'{category.label}'은(는) 제출된 부진 사유에 쓰여 삭제할 수 없습니다.")
        scheme = category.scheme
        record = {"label": category.label}
        category.delete()
        log_action(actor=actor, action="reviews.delay_category_delete", target=scheme, before=record)


# --- targets ---------------------------------------------------------------------------------------


def target_create(
    *,
    year: int,
    actor: Any,
    project: Project | None = None,
    pledge: Pledge | None = None,
    title: str = "",
    department: Department | None = None,
    long_term: bool = False,
    note: str = "",
) -> ReviewTarget:
    reviews.check(actor, p.MANAGE)
    if project is None and pledge is None:
        raise ValidationError("주요업무 사업이나 공약 중 하나를 고르세요.")
    if project is not None and project.plan.year != year:
        raise ValidationError({"project": f"{year}년 계획의 사업이 아닙니다."})
    source_title = project.title if project is not None else pledge.title if pledge is not None else ""
    source_department = project.department if project is not None else pledge.department if pledge is not None else None
    department = department or source_department
    if department is None:
        raise ValidationError({"department": "담당 부서를 정하세요."})
    title = (title or source_title).strip()
    with transaction.atomic():
        if project is not None and ReviewTarget.objects.filter(year=year, project=project).exists():
            raise ValidationError({"project": "이미 심사분석 대상인 사업입니다."})
        if pledge is not None and ReviewTarget.objects.filter(year=year, pledge=pledge).exists():
            raise ValidationError({"pledge": "이미 심사분석 대상인 공약입니다."})
        target = ReviewTarget.objects.create(
            year=year,
            project=project,
            pledge=pledge,
            title=title[:200],
            department=department,
            long_term=long_term,
            note=note.strip()[:200],
        )
        log_action(
            actor=actor,
            action="reviews.target_create",
            target=target,
            department=department,
            after=snapshot(target, ["year", "title", "project_id", "pledge_id", "department_id", "long_term"]),
        )
    return target


def target_update(*, target: ReviewTarget, actor: Any, **fields: Any) -> ReviewTarget:
    reviews.check(actor, p.MANAGE)
    allowed = {"title", "department", "long_term", "active", "note"}
    if set(fields) - allowed:
        raise ValidationError("바꿀 수 없는 항목입니다.")
    if "title" in fields and not str(fields["title"]).strip():
        raise ValidationError({"title": "대상 사업명을 입력하세요."})
    names = [f"{n}_id" if n == "department" else n for n in fields]
    with transaction.atomic():
        before = snapshot(target, names)
        for name, value in fields.items():
            setattr(target, name, value.strip() if isinstance(value, str) else value)
        target.save(update_fields=list(fields))
        b, a = diff(before, snapshot(target, names))
        log_action(
            actor=actor, action="reviews.target_update", target=target, department=target.department, before=b, after=a
        )
    return target


# --- rounds -----------------------------------------------------------------------------------------


def round_defaults(year: int, kind: str, quarter: int | None) -> dict[str, Any]:
    """Title, as-of date and submission window a round of this kind usually has."""
    if kind == RoundKind.QUARTERLY and quarter in QUARTER_END:
        month, day = QUARTER_END[quarter]
        as_of = dt.date(year, month, day)
        opens = as_of + dt.timedelta(days=1)
        return {
            "title": f"{year}년 {quarter}분기 역점사업 심사분석",
            "as_of": as_of,
            "opens_on": opens,
            "closes_on": opens + dt.timedelta(days=11),
        }
    today = timezone.localdate()
    return {
        "title": f"{year}년 수시 심사분석",
        "as_of": today,
        "opens_on": today,
        "closes_on": today + dt.timedelta(days=7),
    }


def _due_at(closes_on: dt.date) -> dt.datetime:
    """The close of the last submission day (the next working day when it is not one)."""
    return get_calendar().same_day(dt.datetime.combine(closes_on, dt.time(9, 0), tzinfo=SEOUL))


def round_create(
    *,
    year: int,
    kind: str,
    actor: Any,
    quarter: int | None = None,
    title: str = "",
    as_of: dt.date | None = None,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
) -> ReviewRound:
    reviews.check(actor, p.MANAGE)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "연도는 2000–2100 사이여야 합니다."})
    if kind not in RoundKind.values:
        raise ValidationError({"kind": "분기 또는 수시를 고르세요."})
    if kind == RoundKind.QUARTERLY:
        if quarter not in (1, 2, 3, 4):
            raise ValidationError({"quarter": "분기(1–4)를 고르세요."})
    else:
        quarter = None
    defaults = round_defaults(year, kind, quarter)
    as_of = as_of or defaults["as_of"]
    opens_on = opens_on or defaults["opens_on"]
    closes_on = closes_on or defaults["closes_on"]
    if closes_on < opens_on:
        raise ValidationError({"closes_on": "제출 마감일은 시작일보다 빠를 수 없습니다."})
    if as_of.year != year:
        raise ValidationError({"as_of": f"기준일은 {year}년 안의 날이어야 합니다."})
    with transaction.atomic():
        if kind == RoundKind.QUARTERLY and ReviewRound.objects.filter(year=year, kind=kind, quarter=quarter).exists():
            raise ValidationError({"quarter": f"{year}년 {quarter}분기 회차가 이미 있습니다."})
        round_ = ReviewRound.objects.create(
            year=year,
            kind=kind,
            quarter=quarter,
            title=(title or defaults["title"]).strip()[:100],
            as_of=as_of,
            opens_on=opens_on,
            closes_on=closes_on,
            due_at=_due_at(closes_on),
            created_by=actor,
        )
        scheme_ensure(year)
        log_action(
            actor=actor,
            action="reviews.round_create",
            target=round_,
            after=snapshot(round_, ["year", "kind", "quarter", "title", "as_of", "opens_on", "closes_on", "due_at"]),
        )
    return round_


def round_update(
    *, round_: ReviewRound, actor: Any, title: str, as_of: dt.date, opens_on: dt.date, closes_on: dt.date
) -> ReviewRound:
    reviews.check(actor, p.MANAGE)
    if round_.status == RoundStatus.CLOSED:
        raise ValidationError("마감된 회차는 바꿀 수 없습니다.")
    if closes_on < opens_on:
        raise ValidationError({"closes_on": "제출 마감일은 시작일보다 빠를 수 없습니다."})
    if as_of.year != round_.year:
        raise ValidationError({"as_of": f"기준일은 {round_.year}년 안의 날이어야 합니다."})
    fields = ["title", "as_of", "opens_on", "closes_on", "due_at"]
    with transaction.atomic():
        before = snapshot(round_, fields)
        round_.title, round_.as_of, round_.opens_on, round_.closes_on = title.strip()[:100], as_of, opens_on, closes_on
        round_.due_at = _due_at(closes_on)
        round_.save(update_fields=fields)
        b, a = diff(before, snapshot(round_, fields))
        log_action(actor=actor, action="reviews.round_update", target=round_, before=b, after=a)
    return round_


def round_open(*, round_: ReviewRound, actor: Any) -> ReviewRound:
    """Open the round: one draft per active target of the year, and a notice to each department."""
    reviews.check(actor, p.MANAGE)
    with transaction.atomic():
        updated = ReviewRound.objects.filter(pk=round_.pk, status=RoundStatus.DRAFT).update(
            status=RoundStatus.OPEN, opened_at=timezone.now()
        )
        if not updated:
            raise ValidationError("준비 중인 회차만 열 수 있습니다.")
        round_.refresh_from_db()
        active = list(ReviewTarget.objects.filter(year=round_.year, active=True).select_related("department"))
        if not active:
            raise ValidationError(f"{round_.year}년 심사분석 대상이 없습니다. 먼저 대상을 지정하세요.")
        scheme_ensure(round_.year)
        existing = set(round_.submissions.values_list("target_id", flat=True))
        Submission.objects.bulk_create([Submission(round=round_, target=t) for t in active if t.pk not in existing])
        log_action(
            actor=actor,
            action="reviews.round_open",
            target=round_,
            after={"status": round_.status, "targets": len(active), "due_at": round_.due_at},
        )
        due = timezone.localtime(round_.due_at).strftime("%Y-%m-%d %H:%M") if round_.due_at else ""
        for department in {t.department for t in active}:
            _notify_on_commit(
                recipients=_department_people(department),
                title=f"{round_.title} 제출 요청",
                body=f"{department.name}의 심사분석 대상 실적을 {due}까지 제출해 주세요.",
                url=reverse("reviews:round", args=[round_.pk]),
                kind="reviews.round_open",
                dedupe_key=f"reviews:round:{round_.pk}:open:{department.pk}",
            )
    return round_


def round_close(*, round_: ReviewRound, actor: Any) -> ReviewRound:
    reviews.check(actor, p.MANAGE)
    with transaction.atomic():
        updated = ReviewRound.objects.filter(pk=round_.pk, status=RoundStatus.OPEN).update(
            status=RoundStatus.CLOSED, closed_at=timezone.now()
        )
        if not updated:
            raise ValidationError("진행 중인 회차만 마감할 수 있습니다.")
        round_.refresh_from_db()
        log_action(actor=actor, action="reviews.round_close", target=round_, after={"status": round_.status})
    return round_


# --- submissions -------------------------------------------------------------------------------------


def _check_attachment(attachment: UploadedFile | None) -> None:
    if attachment is None:
        return
    name = (attachment.name or "").lower()
    if not name.endswith(ATTACHMENT_TYPES):
        raise ValidationError({"attachment": f"첨부는 {', '.join(ATTACHMENT_TYPES)} 파일만 올릴 수 있습니다."})
    if attachment.size and attachment.size > MAX_ATTACHMENT:
        raise ValidationError({"attachment": "첨부는 20MB 이하여야 합니다."})


def validate_values(values: dict[str, Any]) -> None:
    """Refuse progress outside 0–100 and an execution above the budget without a note."""
    errors: dict[str, str] = {}
    progress = values.get("progress")
    if progress is not None and (
        isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100
    ):
        errors["progress"] = f"추진률은 0–100 사이의 정수여야 합니다(입력값 {progress})."
    for name, label in (("budget", "예산"), ("budget_executed", "집행액")):
        value = values.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_WON):
            errors[name] = f"{label}은(는) 0 이상(1000조 원 이하)의 원 단위 정수여야 합니다."
    budget, executed = values.get("budget"), values.get("budget_executed")
    if (
        "budget" not in errors
        and "budget_executed" not in errors
        and executed is not None
        and executed > (budget or 0)
        and not str(values.get("budget_note") or "").strip()
    ):
        errors["budget_note"] = "집행액이 예산보다 많습니다. 사유를 예산 집행 비고에 적어 주세요."
    if errors:
        raise ValidationError(errors)


def submission_save(
    *, submission: Submission, actor: Any, attachment: UploadedFile | None = None, **fields: Any
) -> Submission:
    reviews.check(actor, p.EDIT, submission)
    unknown = set(fields) - set(SUBMISSION_FIELDS)
    if unknown:
        raise ValidationError(f"바꿀 수 없는 항목입니다: {', '.join(sorted(unknown))}")
    values = {name: fields.get(name, getattr(submission, name)) for name in SUBMISSION_FIELDS}
    validate_values(values)
    category = fields.get("delay_category")
    if category is not None:
        scheme = selectors.scheme_for(submission.round.year)
        if scheme is None or category.scheme_id != scheme.pk:
            raise ValidationError({"delay_category": "이 연도의 부진 사유 구분이 아닙니다."})
    _check_attachment(attachment)
    names = [f"{n}_id" if n == "delay_category" else n for n in fields]
    with transaction.atomic():
        locked = Submission.objects.select_for_update(of=("self",)).get(pk=submission.pk)
        if locked.status not in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
            raise ValidationError("이미 제출한 실적은 고칠 수 없습니다.")
        before = snapshot(submission, names)
        for name, value in fields.items():
            setattr(submission, name, value.strip() if isinstance(value, str) else value)
        update = [*fields, "updated_at"]
        if attachment is not None:
            submission.attachment_name = (attachment.name or "첨부")[:200]
            submission.attachment.save(attachment.name or "attachment", attachment, save=False)
            update += ["attachment", "attachment_name"]
        submission.save(update_fields=update)
        b, a = diff(before, snapshot(submission, names))
        if attachment is not None:
            a["attachment"] = submission.attachment_name
        log_action(
            actor=actor,
            action="reviews.submission_save",
            target=submission,
            department=submission.target.department,
            before=b,
            after=a,
        )
    return submission


def _proposal(submission: Submission) -> tuple[AssessmentState | None, Decimal | None, Decimal | None]:
    target = submission.target
    planned = selectors.planned_progress(target, submission.round.as_of)
    scheme = selectors.scheme_for(submission.round.year)
    state, gap = selectors.propose(
        selectors.states_of(scheme), planned=planned, actual=submission.progress, long_term=target.long_term
    )
    return state, gap, planned


def _record_proposal(submission: Submission) -> Assessment:
    state, gap, planned = _proposal(submission)
    submission.planned_progress = planned
    submission.save(update_fields=["planned_progress"])
    assessment, _ = Assessment.objects.update_or_create(
        submission=submission, defaults={"proposed_state": state, "gap": gap}
    )
    return assessment


def submission_submit(*, submission: Submission, actor: Any) -> Submission:
    """Send the draft; a department manager's own submission is approved at once."""
    reviews.check(actor, p.SUBMIT, submission)
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("round", "target", "target__department")
            .get(pk=submission.pk)
        )
        if submission.status not in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
            raise ValidationError("이미 제출했습니다.")
        errors: dict[str, str] = {}
        if submission.progress is None:
            errors["progress"] = "추진률(0–100)을 입력하세요."
        if not submission.work_done.strip():
            errors["work_done"] = "추진 실적을 입력하세요."
        if errors:
            raise ValidationError(errors)
        validate_values({n: getattr(submission, n) for n in SUBMISSION_FIELDS})
        state, gap, planned = _proposal(submission)
        if selectors.is_lagging_state(state) and (
            submission.delay_category_id is None or not submission.delay_reason.strip()
        ):
            raise ValidationError(
                {
                    "delay_reason": (
                        f"계획 진도 {planned}% 대비 {gap}%p 뒤처져 '{state.label if state else ''}'(으)로 제안됩니다. "
                        "부진 사유 구분과 내용을 적어 주세요."
                    )
                }
            )
        before = snapshot(submission, ["status"])
        now = timezone.now()
        submission.status = SubmissionStatus.SUBMITTED
        submission.submitted_by, submission.submitted_at = actor, now
        submission.returned_reason = ""
        submission.planned_progress = planned
        update = ["status", "submitted_by", "submitted_at", "returned_reason", "planned_progress", "updated_at"]
        approve_now = reviews.approves_on_submit(actor, submission)
        if approve_now:
            submission.status = SubmissionStatus.APPROVED
            submission.approved_by, submission.approved_at = actor, now
            update += ["approved_by", "approved_at"]
        submission.save(update_fields=update)
        if approve_now:
            _record_proposal(submission)
        log_action(
            actor=actor,
            action="reviews.submission_submit",
            target=submission,
            department=submission.target.department,
            before=before,
            after={"status": submission.status, "planned_progress": planned, "progress": submission.progress},
        )
        if approve_now:
            _notify_office(submission)
        else:
            _notify_on_commit(
                recipients=org.department_managers(submission.target.department),
                title=f"심사분석 실적 승인 요청: {submission.target.title}",
                body=f"{submission.round.title} — 담당자가 제출한 실적을 확인하고 승인해 주세요.",
                url=submission_url(submission),
                kind="reviews.submitted",
                dedupe_key=f"reviews:submission:{submission.pk}:submitted:{now.timestamp():.0f}",
            )
    return submission


def _notify_office(submission: Submission) -> None:
    approved_at = submission.approved_at.timestamp() if submission.approved_at else 0
    _notify_on_commit(
        recipients=org.planning_office_users(),
        title=f"심사분석 실적 도착: {submission.target.title}",
        body=f"{submission.round.title} — {submission.target.department.name}의 실적이 승인되어 심사를 기다립니다.",
        url=submission_url(submission),
        kind="reviews.approved",
        dedupe_key=f"reviews:submission:{submission.pk}:approved:{approved_at:.0f}",
    )


def submission_approve(*, submission: Submission, actor: Any) -> Submission:
    reviews.check(actor, p.APPROVE, submission)
    with transaction.atomic():
        updated = Submission.objects.filter(pk=submission.pk, status=SubmissionStatus.SUBMITTED).update(
            status=SubmissionStatus.APPROVED, approved_by=actor, approved_at=timezone.now()
        )
        if not updated:
            raise ValidationError("승인을 기다리는 실적이 아닙니다.")
        submission.refresh_from_db()
        assessment = _record_proposal(submission)
        log_action(
            actor=actor,
            action="reviews.submission_approve",
            target=submission,
            department=submission.target.department,
            after={
                "status": submission.status,
                "proposed": assessment.proposed_state.label if assessment.proposed_state else None,
            },
        )
        _notify_office(submission)
    return submission


def submission_return(*, submission: Submission, reason: str, actor: Any) -> Submission:
    reviews.check(actor, p.RETURN, submission)
    if not reason.strip():
        raise ValidationError({"reason": "보완 요청 사유를 적어 주세요."})
    with transaction.atomic():
        updated = Submission.objects.filter(
            pk=submission.pk,
            status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED, SubmissionStatus.ASSESSED],
        ).update(status=SubmissionStatus.RETURNED, returned_reason=reason.strip(), approved_by=None, approved_at=None)
        if not updated:
            raise ValidationError("되돌릴 수 있는 실적이 아닙니다.")
        before_status = submission.status
        submission.refresh_from_db()
        log_action(
            actor=actor,
            action="reviews.submission_return",
            target=submission,
            department=submission.target.department,
            before={"status": before_status},
            after={"status": submission.status, "reason": submission.returned_reason},
        )
        recipients = [u for u in [submission.submitted_by] if u is not None] or _department_people(
            submission.target.department
        )
        _notify_on_commit(
            recipients=recipients,
            title=f"심사분석 실적 보완 요청: {submission.target.title}",
            body=reason.strip(),
            url=submission_url(submission),
            kind="reviews.returned",
            dedupe_key=f"reviews:submission:{submission.pk}:returned:{timezone.now().timestamp():.0f}",
        )
    return submission


def submission_assess(
    *, submission: Submission, final_state: AssessmentState, comment: str = "", actor: Any
) -> Assessment:
    """The planning office's final assessment (the system's proposal stays recorded beside it)."""
    reviews.check(actor, p.ASSESS, submission)
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("round", "target", "target__department")
            .get(pk=submission.pk)
        )
        if submission.status not in (SubmissionStatus.APPROVED, SubmissionStatus.ASSESSED):
            raise ValidationError("부서장 승인을 거친 실적만 심사할 수 있습니다.")
        scheme = selectors.scheme_for(submission.round.year)
        if scheme is None or final_state.scheme_id != scheme.pk:
            raise ValidationError({"final_state": "이 연도 체계의 심사 결과 구분이 아닙니다."})
        assessment = Assessment.objects.filter(submission=submission).first() or _record_proposal(submission)
        before = snapshot(assessment, ["final_state_id", "comment"])
        assessment.final_state = final_state
        assessment.comment = comment.strip()
        assessment.assessed_by, assessment.assessed_at = actor, timezone.now()
        assessment.save(update_fields=["final_state", "comment", "assessed_by", "assessed_at"])
        submission.status = SubmissionStatus.ASSESSED
        submission.save(update_fields=["status", "updated_at"])
        b, a = diff(before, snapshot(assessment, ["final_state_id", "comment"]))
        log_action(
            actor=actor,
            action="reviews.assess",
            target=submission,
            department=submission.target.department,
            before=b,
            after={
                **a,
                "final": final_state.label,
                "proposed": assessment.proposed_state.label if assessment.proposed_state else None,
            },
        )
        _notify_on_commit(
            recipients=_department_people(submission.target.department),
            title=f"심사분석 결과: {submission.target.title} — {final_state.label}",
            body=comment.strip(),
            url=submission_url(submission),
            kind="reviews.assessed",
            dedupe_key=f"reviews:submission:{submission.pk}:assessed:{assessment.assessed_at.timestamp():.0f}",
        )
    return assessment


# --- alternatives and directives ------------------------------------------------------------------------


def alternative_add(
    *,
    submission: Submission,
    text: str,
    department: Department | None = None,
    due_on: dt.date | None = None,
    actor: Any,
) -> Alternative:
    reviews.check(actor, p.ALTERNATIVE, submission)
    status = Submission.objects.filter(pk=submission.pk).values_list("status", flat=True).first()
    if status not in (SubmissionStatus.APPROVED, SubmissionStatus.ASSESSED):
        raise ValidationError("부서장 승인을 거친 실적에만 대안을 적을 수 있습니다.")
    if not text.strip():
        raise ValidationError({"text": "대안을 입력하세요."})
    with transaction.atomic():
        alternative = Alternative.objects.create(
            submission=submission,
            text=text.strip(),
            department=department or submission.target.department,
            due_on=due_on,
            created_by=actor,
        )
        log_action(
            actor=actor,
            action="reviews.alternative_add",
            target=submission,
            department=alternative.department,
            after={"alternative": alternative.text[:300], "department": alternative.department.name, "due_on": due_on},
        )
    return alternative


def directive_choices(year: int) -> tuple[list[str], list[str], list[str]]:
    """Sources, givers and deadline classes the directives module accepts in ``year``."""
    from hwallyu.directives.services import scheme_for_year

    scheme = scheme_for_year(year)
    return list(scheme.sources), list(scheme.givers), [c["name"] for c in scheme.deadline_classes]


def _pick(options: Sequence[str], wanted: str | None, preferred: Sequence[str]) -> str:
    if wanted:
        return wanted
    for name in preferred:
        if name in options:
            return name
    return options[0] if options else ""


def alternative_to_directive(
    *,
    alternative: Alternative,
    actor: Any,
    source: str | None = None,
    given_by: str | None = None,
    deadline_class: str = "",
    share: bool = True,
) -> Alternative:
    """Register (and share) a directive from the alternative through the directives module's service."""
    reviews.check(actor, p.CONVERT, alternative)
    from hwallyu.directives.services import DirectiveInput, directive_register, directive_share

    now = timezone.now()
    with transaction.atomic():
        locked = (
            Alternative.objects.select_for_update(of=("self",))
            .select_related("submission__round", "submission__target", "department")
            .get(pk=alternative.pk)
        )
        if locked.directive_number:
            raise ValidationError(f"이미 지시사항 {locked.directive_number}(으)로 등록한 대안입니다.")
        sources, givers, _ = directive_choices(timezone.localtime(now).year)
        submission = locked.submission
        content = (
            f"[{submission.round.title}] {submission.target.title} 심사분석 대안\n\n{locked.text}\n\n"
            f"(심사분석: {submission_url(submission)})"
        )
        data = DirectiveInput(
            title=f"[심사분석 대안] {submission.target.title}"[:200],
            given_at=now,
            source=_pick(sources, source, ("심사분석", "기타")),
            given_by=_pick(givers, given_by, ("기획감사실장", "시장")),
            lead_department=locked.department,
            content=content,
            deadline_class=deadline_class,
            result_due_on=locked.due_on,
        )
        directive = directive_register(data=data, actor=actor)
        if share:
            directive = directive_share(directive=directive, actor=actor)
        locked.directive_number = directive.number
        locked.directive_created_at = now
        locked.save(update_fields=["directive_number", "directive_created_at"])
        log_action(
            actor=actor,
            action="reviews.alternative_to_directive",
            target=submission,
            department=locked.department,
            after={"alternative": locked.pk, "directive": directive.number, "shared": share},
        )
    return locked


def ensure_can(user: Any, action: str, obj: Any = None) -> None:
    """For views: the same 403 as the services."""
    if not reviews.can(user, action, obj):
        raise PermissionDenied("이 작업을 할 권한이 없습니다.")


def next_order(scheme: ReviewScheme) -> int:
    return (scheme.states.aggregate(m=Max("order"))["m"] or 0) + 1


def rounds_recompute_due(**_: Any) -> int:
    """After a calendar change: recompute the due time of rounds whose due time has not passed."""
    now = timezone.now()
    changed = 0
    for round_ in ReviewRound.objects.exclude(status=RoundStatus.CLOSED).filter(due_at__gt=now):
        due = _due_at(round_.closes_on)
        if due != round_.due_at:
            ReviewRound.objects.filter(pk=round_.pk, due_at=round_.due_at).update(due_at=due)
            changed += 1
    return changed

"""REST API of the review analysis under /api/v1/reviews: targets, rounds, submissions, assessments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema, Status

from hwallyu.api.base import ServiceError
from hwallyu.core.documents import report_response
from hwallyu.org import selectors as org
from hwallyu.pledges.models import Pledge
from hwallyu.reviews import documents, selectors, services
from hwallyu.reviews import policies as p
from hwallyu.reviews.models import Alternative, AssessmentState, ReviewRound, ReviewTarget, Submission
from hwallyu.reviews.policies import reviews
from hwallyu.workplan.models import Project

router = Router(tags=["심사분석"])


class TargetOut(Schema):
    id: int
    year: int
    title: str
    department: str
    department_name: str
    project_id: int | None
    pledge_code: str | None
    long_term: bool
    active: bool


class TargetIn(Schema):
    year: int
    project_id: int | None = None
    pledge_code: str | None = None
    title: str = ""
    department: str | None = None
    long_term: bool = False
    note: str = ""


class RoundOut(Schema):
    id: int
    year: int
    kind: str
    quarter: int | None
    title: str
    as_of: dt.date
    opens_on: dt.date
    closes_on: dt.date
    due_at: dt.datetime | None
    status: str


class RoundIn(Schema):
    year: int
    kind: Literal["quarterly", "adhoc"]
    quarter: int | None = None
    title: str = ""
    as_of: dt.date | None = None
    opens_on: dt.date | None = None
    closes_on: dt.date | None = None


class AlternativeOut(Schema):
    id: int
    text: str
    department: str
    due_on: dt.date | None
    directive_number: str | None


class SubmissionOut(Schema):
    id: int
    round_id: int
    target: TargetOut
    status: str
    status_label: str
    progress: int | None
    planned_progress: Decimal | None
    work_done: str
    budget: int | None
    budget_executed: int | None
    budget_note: str
    issues: str
    delay_category: str | None
    delay_reason: str
    next_plan: str
    proposed: str | None
    final: str | None
    gap: Decimal | None
    comment: str
    alternatives: list[AlternativeOut]


class SubmissionPatch(Schema):
    progress: int | None = None
    work_done: str | None = None
    budget: int | None = None
    budget_executed: int | None = None
    budget_note: str | None = None
    issues: str | None = None
    delay_category: str | None = None
    delay_reason: str | None = None
    next_plan: str | None = None


class ReturnIn(Schema):
    reason: str


class AssessIn(Schema):
    final_state: str
    comment: str = ""


class AlternativeIn(Schema):
    text: str
    department: str | None = None
    due_on: dt.date | None = None


class ConvertIn(Schema):
    source: str | None = None
    given_by: str | None = None
    deadline_class: str = ""


def _target_out(t: ReviewTarget) -> dict[str, Any]:
    return {
        "id": t.pk,
        "year": t.year,
        "title": t.title,
        "department": t.department.code,
        "department_name": t.department.name,
        "project_id": t.project_id,
        "pledge_code": t.pledge.code if t.pledge_id and t.pledge else None,
        "long_term": t.long_term,
        "active": t.active,
    }


def _round_out(r: ReviewRound) -> dict[str, Any]:
    return {
        "id": r.pk,
        "year": r.year,
        "kind": r.kind,
        "quarter": r.quarter,
        "title": r.title,
        "as_of": r.as_of,
        "opens_on": r.opens_on,
        "closes_on": r.closes_on,
        "due_at": r.due_at,
        "status": r.status,
    }


def _submission_out(s: Submission) -> dict[str, Any]:
    a = selectors.assessment_of(s)
    return {
        "id": s.pk,
        "round_id": s.round_id,
        "target": _target_out(s.target),
        "status": s.status,
        "status_label": s.get_status_display(),
        "progress": s.progress,
        "planned_progress": s.planned_progress,
        "work_done": s.work_done,
        "budget": s.budget,
        "budget_executed": s.budget_executed,
        "budget_note": s.budget_note,
        "issues": s.issues,
        "delay_category": s.delay_category.label if s.delay_category else None,
        "delay_reason": s.delay_reason,
        "next_plan": s.next_plan,
        "proposed": a.proposed_state.label if a is not None and a.proposed_state else None,
        "final": a.final_state.label if a is not None and a.final_state and s.status == "assessed" else None,
        "gap": a.gap if a is not None else None,
        "comment": a.comment if a is not None else "",
        "alternatives": [
            {
                "id": alt.pk,
                "text": alt.text,
                "department": alt.department.code,
                "due_on": alt.due_on,
                "directive_number": alt.directive_number or None,
            }
            for alt in s.alternatives.all()
        ],
    }


def _department(code: str | None) -> Any:
    if code is None:
        return None
    department = org.department_by_code(code)
    if department is None:
        raise ServiceError(f"부서 코드 {code!r}을(를) 찾을 수 없습니다.")
    return department


def _round(request: HttpRequest, round_id: int) -> ReviewRound:
    r = reviews.round_scope(request.user).filter(pk=round_id).first()
    if r is None:
        raise Http404
    return r


def _submission(request: HttpRequest, submission_id: int) -> Submission:
    return reviews.get_visible_or_404(request.user, selectors.submissions(), pk=submission_id)


def _fresh(request: HttpRequest, submission_id: int) -> dict[str, Any]:
    return _submission_out(_submission(request, submission_id))


# --- targets ----------------------------------------------------------------------------------------


@router.get("/targets", response=list[TargetOut], summary="심사분석 대상")
def target_list(request: HttpRequest, year: int | None = None) -> list[dict[str, Any]]:
    return [_target_out(t) for t in reviews.target_scope(request.user, selectors.targets(year))]


@router.post("/targets", response={201: TargetOut}, summary="심사분석 대상 지정")
def target_create(request: HttpRequest, payload: TargetIn) -> Status:
    project = None
    pledge = None
    if payload.project_id is not None:
        project = Project.objects.select_related("plan", "department").filter(pk=payload.project_id).first()
        if project is None:
            raise ServiceError("사업을 찾을 수 없습니다.", status=404)
    if payload.pledge_code:
        pledge = Pledge.objects.select_related("department").filter(code=payload.pledge_code).first()
        if pledge is None:
            raise ServiceError("공약을 찾을 수 없습니다.", status=404)
    target = services.target_create(
        year=payload.year,
        project=project,
        pledge=pledge,
        title=payload.title,
        department=_department(payload.department),
        long_term=payload.long_term,
        note=payload.note,
        actor=request.user,
    )
    return Status(201, _target_out(target))


@router.get("/targets/{int:target_id}/trend", summary="대상의 회차별 추이")
def target_trend(request: HttpRequest, target_id: int) -> dict[str, Any]:
    target = reviews.target_scope(request.user, selectors.targets()).filter(pk=target_id).first()
    if target is None:
        raise Http404
    return {
        "target": _target_out(target),
        "points": [
            {
                "round_id": pt.round.pk,
                "round": pt.round.title,
                "as_of": pt.round.as_of.isoformat(),
                "planned": str(pt.planned) if pt.planned is not None else None,
                "actual": pt.actual,
                "gap": str(pt.gap) if pt.gap is not None else None,
                "state": pt.state_label,
            }
            for pt in selectors.trend(target)
        ],
    }


# --- rounds ------------------------------------------------------------------------------------------


@router.get("/rounds", response=list[RoundOut], summary="회차 목록")
def round_list(request: HttpRequest, year: int | None = None) -> list[dict[str, Any]]:
    qs = reviews.round_scope(request.user)
    if year:
        qs = qs.filter(year=year)
    return [_round_out(r) for r in qs]


@router.post("/rounds", response={201: RoundOut}, summary="회차 만들기(분기·수시)")
def round_create(request: HttpRequest, payload: RoundIn) -> Status:
    r = services.round_create(actor=request.user, **payload.dict())
    return Status(201, _round_out(r))


@router.get("/rounds/{int:round_id}", summary="회차와 (볼 수 있는) 제출 실적")
def round_detail(request: HttpRequest, round_id: int) -> dict[str, Any]:
    r = _round(request, round_id)
    items = list(reviews.scope(request.user, selectors.submissions(r)))
    summary = selectors.round_summary(r, items)
    return {
        **_round_out(r),
        "summary": {
            "columns": summary.columns,
            "by_department": [
                {"department": row.label, "counts": row.counts, "total": row.total} for row in summary.by_department
            ],
            "overall": {"counts": summary.overall.counts, "total": summary.overall.total},
        },
        "submissions": [_submission_out(s) for s in items],
    }


@router.post("/rounds/{int:round_id}/open", response=RoundOut, summary="회차 열기(부서에 제출 요청)")
def round_open(request: HttpRequest, round_id: int) -> dict[str, Any]:
    return _round_out(services.round_open(round_=_round(request, round_id), actor=request.user))


@router.post("/rounds/{int:round_id}/close", response=RoundOut, summary="회차 마감")
def round_close(request: HttpRequest, round_id: int) -> dict[str, Any]:
    return _round_out(services.round_close(round_=_round(request, round_id), actor=request.user))


@router.get("/rounds/{int:round_id}/report", summary="회차 결과 보고(HWPX·XLSX)")
def round_report(request: HttpRequest, round_id: int, format: Literal["hwpx", "xlsx"] = "hwpx") -> HttpResponse:
    r = _round(request, round_id)
    reviews.check(request.user, p.VIEW_ALL)
    report = documents.round_report(r, list(selectors.submissions(r)), issued_on=timezone.localdate())
    return report_response(report, format, f"{r.title}_결과보고")


# --- submissions ----------------------------------------------------------------------------------------


@router.get("/submissions/{int:submission_id}", response=SubmissionOut, summary="제출 실적")
def submission_detail(request: HttpRequest, submission_id: int) -> dict[str, Any]:
    return _fresh(request, submission_id)


@router.patch("/submissions/{int:submission_id}", response=SubmissionOut, summary="실적 작성(임시 저장)")
def submission_patch(request: HttpRequest, submission_id: int, payload: SubmissionPatch) -> dict[str, Any]:
    sub = _submission(request, submission_id)
    data = payload.dict(exclude_unset=True)
    if "delay_category" in data:
        label = data.pop("delay_category")
        if label is None:
            data["delay_category"] = None
        else:
            category = selectors.delay_categories(sub.round.year).filter(label=label).first()
            if category is None:
                labels = ", ".join(c.label for c in selectors.delay_categories(sub.round.year))
                raise ServiceError(f"부진 사유 구분 '{label}'이(가) 없습니다(가능: {labels}).")
            data["delay_category"] = category
    for key in ("work_done", "budget_note", "issues", "delay_reason", "next_plan"):
        if key in data and data[key] is None:
            data[key] = ""
    services.submission_save(submission=sub, actor=request.user, **data)
    return _fresh(request, submission_id)


@router.post("/submissions/{int:submission_id}/submit", response=SubmissionOut, summary="제출")
def submission_submit(request: HttpRequest, submission_id: int) -> dict[str, Any]:
    services.submission_submit(submission=_submission(request, submission_id), actor=request.user)
    return _fresh(request, submission_id)


@router.post("/submissions/{int:submission_id}/approve", response=SubmissionOut, summary="부서장 승인")
def submission_approve(request: HttpRequest, submission_id: int) -> dict[str, Any]:
    services.submission_approve(submission=_submission(request, submission_id), actor=request.user)
    return _fresh(request, submission_id)


@router.post("/submissions/{int:submission_id}/return", response=SubmissionOut, summary="보완 요청")
def submission_return(request: HttpRequest, submission_id: int, payload: ReturnIn) -> dict[str, Any]:
    services.submission_return(
        submission=_submission(request, submission_id), reason=payload.reason, actor=request.user
    )
    return _fresh(request, submission_id)


@router.post("/submissions/{int:submission_id}/assess", response=SubmissionOut, summary="심사 결과 확정")
def submission_assess(request: HttpRequest, submission_id: int, payload: AssessIn) -> dict[str, Any]:
    sub = _submission(request, submission_id)
    scheme = selectors.scheme_for(sub.round.year)
    state = AssessmentState.objects.filter(scheme=scheme).filter(code=payload.final_state).first() or (
        AssessmentState.objects.filter(scheme=scheme, label=payload.final_state).first()
    )
    if state is None:
        labels = ", ".join(s.label for s in selectors.states_of(scheme))
        raise ServiceError(f"심사 결과 '{payload.final_state}'이(가) 없습니다(가능: {labels}).")
    services.submission_assess(submission=sub, final_state=state, comment=payload.comment, actor=request.user)
    return _fresh(request, submission_id)


@router.post("/submissions/{int:submission_id}/alternatives", response={201: AlternativeOut}, summary="대안 추가")
def alternative_add(request: HttpRequest, submission_id: int, payload: AlternativeIn) -> Status:
    alt = services.alternative_add(
        submission=_submission(request, submission_id),
        text=payload.text,
        department=_department(payload.department),
        due_on=payload.due_on,
        actor=request.user,
    )
    return Status(
        201,
        {
            "id": alt.pk,
            "text": alt.text,
            "department": alt.department.code,
            "due_on": alt.due_on,
            "directive_number": None,
        },
    )


@router.post(
    "/alternatives/{int:alternative_id}/directive", response=AlternativeOut, summary="대안을 지시사항으로 등록"
)
def alternative_convert(request: HttpRequest, alternative_id: int, payload: ConvertIn) -> dict[str, Any]:
    alt = Alternative.objects.select_related("submission", "department").filter(pk=alternative_id).first()
    if alt is None or not reviews.scope(request.user).filter(pk=alt.submission_id).exists():
        raise Http404
    alt = services.alternative_to_directive(
        alternative=alt,
        actor=request.user,
        source=payload.source,
        given_by=payload.given_by,
        deadline_class=payload.deadline_class,
    )
    return {
        "id": alt.pk,
        "text": alt.text,
        "department": alt.department.code,
        "due_on": alt.due_on,
        "directive_number": alt.directive_number,
    }

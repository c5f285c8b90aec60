"""Pages of the review analysis (심사분석)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from hwallyu.api.base import ServiceError
from hwallyu.core.documents import report_response
from hwallyu.reviews import documents, selectors, services
from hwallyu.reviews import policies as p
from hwallyu.reviews.forms import (
    AlternativeForm,
    AssessForm,
    ConvertForm,
    DelayCategoryForm,
    ReturnForm,
    RoundEditForm,
    RoundForm,
    SchemeCreateForm,
    SchemeSettingsForm,
    StateForm,
    SubmissionForm,
    TargetEditForm,
    TargetForm,
)
from hwallyu.reviews.models import (
    Alternative,
    AssessmentState,
    DelayCategory,
    ReviewRound,
    ReviewScheme,
    ReviewTarget,
    Submission,
)
from hwallyu.reviews.policies import reviews
from hwallyu.workplan import selectors as plan_selectors
from hwallyu.workplan.money import to_million
from hwallyu.workplan.views import apply_errors

FORMATS = ("hwpx", "xlsx")


def _crumbs(*more: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("심사분석", reverse("reviews:rounds")), *more]


def _errors(request: HttpRequest, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, str(getattr(exc, "message", exc)))


def _round(request: HttpRequest, round_id: int) -> ReviewRound:
    round_ = reviews.round_scope(request.user).filter(pk=round_id).first()
    if round_ is None:
        raise Http404("찾을 수 없습니다.")
    return round_


def _submission(request: HttpRequest, submission_id: int) -> Submission:
    return reviews.get_visible_or_404(request.user, selectors.submissions(), pk=submission_id)


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        raise Http404("연도가 올바르지 않습니다.")
    if not 2000 <= year <= 2100:
        raise Http404("연도가 올바르지 않습니다.")
    return year


# --- rounds --------------------------------------------------------------------------------------


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    qs = reviews.round_scope(request.user).order_by("-year", "-as_of", "-id")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/round_list.html",
        {"page": page, "can_manage": reviews.can(request.user, p.MANAGE), "breadcrumbs": _crumbs(("회차", None))},
    )


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    reviews.check(request.user, p.MANAGE)
    today = timezone.localdate()
    form = RoundForm(
        request.POST or None, initial={"year": today.year, "kind": "quarterly", "quarter": (today.month - 1) // 3 + 1}
    )
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.round_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{round_.title} 회차를 만들었습니다. 대상을 확인한 뒤 회차를 여세요.")
            return redirect("reviews:round", round_id=round_.pk)
    return render(
        request,
        "reviews/form.html",
        {"form": form, "title": "심사분석 회차 만들기", "breadcrumbs": _crumbs(("새 회차", None))},
    )


@login_required
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _round(request, round_id)
    page = plan_selectors.slim_page(
        reviews.scope(request.user, selectors.round_rows(round_)),
        request.GET.get("page"),
        50,
        slim=reviews.scope(request.user, Submission.objects.filter(round=round_))
        .order_by("target__department__order", "target__title")
        .only("pk"),
    )
    rows = []
    for sub in page:
        sub.round = round_
        rows.append({"sub": sub, "assessment": selectors.assessment_of(sub)})
    summary = selectors.round_summary_counts(
        round_, reviews.scope(request.user, Submission.objects.filter(round=round_))
    )
    return render(
        request,
        "reviews/round_detail.html",
        {
            "round": round_,
            "rows": rows,
            "page": page,
            "summary": summary,
            "summary_rows": [(row, row.cells_html(summary.columns)) for row in summary.by_department],
            "summary_total": summary.overall.cells_html(summary.columns),
            "can_manage": reviews.can(request.user, p.MANAGE),
            "can_report": reviews.can(request.user, p.VIEW_ALL),
            "target_count": ReviewTarget.objects.filter(year=round_.year, active=True).count(),
            "breadcrumbs": _crumbs((round_.title, None)),
        },
    )


@login_required
def round_edit(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _round(request, round_id)
    reviews.check(request.user, p.MANAGE)
    form = RoundEditForm(
        request.POST or None,
        initial={
            "title": round_.title,
            "as_of": round_.as_of,
            "opens_on": round_.opens_on,
            "closes_on": round_.closes_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(round_=round_, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "회차를 저장했습니다.")
            return redirect("reviews:round", round_id=round_.pk)
    return render(
        request,
        "reviews/form.html",
        {
            "form": form,
            "title": f"회차 수정 — {round_.title}",
            "breadcrumbs": _crumbs((round_.title, reverse("reviews:round", args=[round_.pk])), ("수정", None)),
        },
    )


@login_required
@require_POST
def round_open(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _round(request, round_id)
    try:
        services.round_open(round_=round_, actor=request.user)
        messages.success(request, "회차를 열고 부서에 제출을 요청했습니다.")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("reviews:round", round_id=round_.pk)


@login_required
@require_POST
def round_close(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _round(request, round_id)
    try:
        services.round_close(round_=round_, actor=request.user)
        messages.success(request, "회차를 마감했습니다.")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("reviews:round", round_id=round_.pk)


@login_required
def round_report(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _round(request, round_id)
    reviews.check(request.user, p.VIEW_ALL)
    fmt = request.GET.get("format", "hwpx")
    if fmt not in FORMATS:
        raise Http404("지원하지 않는 문서 형식입니다.")
    items = list(selectors.submissions(round_))
    report = documents.round_report(round_, items, issued_on=timezone.localdate())
    return report_response(report, fmt, f"{round_.title}_결과보고")


# --- targets ------------------------------------------------------------------------------------------


@login_required
def target_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    qs = reviews.target_scope(request.user, selectors.targets(year))
    page = plan_selectors.slim_page(qs, request.GET.get("page"), 50)
    return render(
        request,
        "reviews/target_list.html",
        {
            "year": year,
            "page": page,
            "query_string": f"year={year}",
            "can_manage": reviews.can(request.user, p.MANAGE),
            "breadcrumbs": _crumbs(("대상", None)),
        },
    )


@login_required
def target_create(request: HttpRequest) -> HttpResponse:
    reviews.check(request.user, p.MANAGE)
    year = _year(request)
    form = TargetForm(request.POST or None, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            target = services.target_create(year=year, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"'{target.title}'을(를) {year}년 심사분석 대상으로 지정했습니다.")
            return redirect(f"{reverse('reviews:targets')}?year={year}")
    return render(
        request,
        "reviews/form.html",
        {
            "form": form,
            "title": f"{year}년 심사분석 대상 지정",
            "breadcrumbs": _crumbs(("대상", reverse("reviews:targets")), ("지정", None)),
        },
    )


def _target(request: HttpRequest, target_id: int) -> ReviewTarget:
    target = reviews.target_scope(request.user, selectors.targets()).filter(pk=target_id).first()
    if target is None:
        raise Http404("찾을 수 없습니다.")
    return target


@login_required
def target_edit(request: HttpRequest, target_id: int) -> HttpResponse:
    target = _target(request, target_id)
    reviews.check(request.user, p.MANAGE)
    form = TargetEditForm(
        request.POST or None,
        initial={
            "title": target.title,
            "department": target.department_id,
            "long_term": target.long_term,
            "active": target.active,
            "note": target.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.target_update(target=target, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "대상을 저장했습니다.")
            return redirect("reviews:target", target_id=target.pk)
    return render(
        request,
        "reviews/form.html",
        {
            "form": form,
            "title": f"대상 수정 — {target.title}",
            "breadcrumbs": _crumbs(("대상", reverse("reviews:targets")), (target.title, None)),
        },
    )


@login_required
def target_trend(request: HttpRequest, target_id: int) -> HttpResponse:
    target = (
        reviews.target_scope(
            request.user,
            selectors.targets().select_related("project__plan").prefetch_related("project__months"),
        )
        .filter(pk=target_id)
        .first()
    )
    if target is None:
        raise Http404("찾을 수 없습니다.")
    points = selectors.trend(target)
    return render(
        request,
        "reviews/target_trend.html",
        {
            "target": target,
            "points": points,
            "can_manage": reviews.can(request.user, p.MANAGE),
            "breadcrumbs": _crumbs(("대상", f"{reverse('reviews:targets')}?year={target.year}"), (target.title, None)),
        },
    )


# --- submissions ---------------------------------------------------------------------------------------


@login_required
def submission_detail(request: HttpRequest, submission_id: int) -> HttpResponse:
    sub = reviews.get_visible_or_404(
        request.user,
        selectors.submissions()
        .select_related("submitted_by", "approved_by", "target__project__plan")
        .prefetch_related("target__project__months"),
        pk=submission_id,
    )
    user = request.user
    assessment = selectors.assessment_of(sub)
    scheme = selectors.scheme_for(sub.round.year)
    planned_now = selectors.planned_progress(sub.target, sub.round.as_of)
    proposed, gap = selectors.propose(
        selectors.states_of(scheme),
        planned=planned_now,
        actual=sub.progress,
        long_term=sub.target.long_term,
    )
    can_convert = reviews.can(user, p.CONVERT)
    convert_form = None
    if can_convert and any(not a.directive_number for a in sub.alternatives.all()):
        try:
            sources, givers, classes = services.directive_choices(timezone.localdate().year)
            convert_form = ConvertForm(
                sources=sources,
                givers=givers,
                classes=classes,
                initial={
                    "source": services._pick(sources, None, ("심사분석", "기타")),
                    "given_by": services._pick(givers, None, ("기획감사실장", "시장")),
                },
            )
        except ImportError:
            convert_form = None
    final_initial = (
        assessment.final_state_id
        if assessment and assessment.final_state_id
        else (assessment.proposed_state_id if assessment else None)
    )
    return render(
        request,
        "reviews/submission_detail.html",
        {
            "sub": sub,
            "round": sub.round,
            "assessment": assessment,
            "planned_now": planned_now,
            "live_proposal": proposed,
            "live_gap": gap,
            "can_edit": reviews.can(user, p.EDIT, sub),
            "can_submit": reviews.can(user, p.SUBMIT, sub),
            "can_approve": reviews.can(user, p.APPROVE, sub),
            "can_return": reviews.can(user, p.RETURN, sub),
            "can_assess": reviews.can(user, p.ASSESS, sub) and sub.status in ("approved", "assessed"),
            "can_alternative": reviews.can(user, p.ALTERNATIVE, sub) and sub.status in ("approved", "assessed"),
            "approves_on_submit": reviews.approves_on_submit(user, sub),
            "return_form": ReturnForm(),
            "assess_form": AssessForm(
                year=sub.round.year,
                initial={"final_state": final_initial, "comment": getattr(assessment, "comment", "")},
            ),
            "alternative_form": AlternativeForm(),
            "convert_form": convert_form,
            "breadcrumbs": _crumbs(
                (sub.round.title, reverse("reviews:round", args=[sub.round_id])), (sub.target.title, None)
            ),
        },
    )


@login_required
def submission_edit(request: HttpRequest, submission_id: int) -> HttpResponse:
    sub = _submission(request, submission_id)
    reviews.check(request.user, p.EDIT, sub)
    initial = {
        "progress": sub.progress,
        "work_done": sub.work_done,
        "budget": to_million(sub.budget),
        "budget_executed": to_million(sub.budget_executed),
        "budget_note": sub.budget_note,
        "issues": sub.issues,
        "delay_category": sub.delay_category_id,
        "delay_reason": sub.delay_reason,
        "next_plan": sub.next_plan,
    }
    form = SubmissionForm(request.POST or None, request.FILES or None, year=sub.round.year, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        attachment = data.pop("attachment", None)
        try:
            services.submission_save(submission=sub, actor=request.user, attachment=attachment, **data)
            if "submit" in request.POST:
                services.submission_submit(submission=sub, actor=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "제출했습니다." if "submit" in request.POST else "임시 저장했습니다.")
            return redirect("reviews:submission", submission_id=sub.pk)
    return render(
        request,
        "reviews/submission_form.html",
        {
            "form": form,
            "sub": sub,
            "planned": selectors.planned_progress(sub.target, sub.round.as_of),
            "approves_on_submit": reviews.approves_on_submit(request.user, sub),
            "breadcrumbs": _crumbs(
                (sub.round.title, reverse("reviews:round", args=[sub.round_id])),
                (sub.target.title, reverse("reviews:submission", args=[sub.pk])),
                ("작성", None),
            ),
        },
    )


@login_required
@require_POST
def submission_submit(request: HttpRequest, submission_id: int) -> HttpResponse:
    sub = _submission(request, submission_id)
    try:
        services.submission_submit(submission=sub, actor=request.user)
        messages.success(request, "제출했습니다.")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("reviews:submission", submission_id=sub.pk)


@login_required
@require_POST
def submission_approve(request: HttpRequest, submission_id: int) -> HttpResponse:
    sub = _submission(request, submission_id)
    try:
        services.submission_approve(submission=sub, actor=request.user)
        messages.success(request, "승인했습니다. 기획감사실 심사로 넘어갑니다.")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("reviews:submission", submission_id=sub.pk)


@login_required
@require_POST
def submission_return(request: HttpRequest, submission_id: int) -> HttpResponse:
    sub = _submission(request, submission_id)
    reviews.check(request.user, p.RETURN, sub)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "보완 요청 사유를 적어 주세요.")
        return redirect("reviews:submission", submission_id=sub.pk)
    try:
        services.submission_return(submission=sub, reason=form.cleaned_data["reason"], actor=request.user)
        messages.success(request, "보완을 요청했습니다.")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("reviews:submission", submission_id=sub.pk)


@login_required
@require_POST
def submission_assess(request: HttpRequest, submission_id: int) -> HttpResponse:
    sub = _submission(request, submission_id)
    reviews.check(request.user, p.ASSESS, sub)
    form = AssessForm(request.POST, year=sub.round.year)
    if not form.is_valid():
        messages.error(request, "심사 결과를 고르세요.")
        return redirect("reviews:submission", submission_id=sub.pk)
    try:
        services.submission_assess(submission=sub, actor=request.user, **form.cleaned_data)
        messages.success(request, "심사 결과를 저장했습니다.")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("reviews:submission", submission_id=sub.pk)


@login_required
@require_POST
def alternative_add(request: HttpRequest, submission_id: int) -> HttpResponse:
    sub = _submission(request, submission_id)
    reviews.check(request.user, p.ALTERNATIVE, sub)
    form = AlternativeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("reviews:submission", submission_id=sub.pk)
    try:
        services.alternative_add(submission=sub, actor=request.user, **form.cleaned_data)
        messages.success(request, "대안을 등록했습니다.")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("reviews:submission", submission_id=sub.pk)


@login_required
@require_POST
def alternative_convert(request: HttpRequest, alternative_id: int) -> HttpResponse:
    alternative = (
        Alternative.objects.select_related("submission__target", "submission__round").filter(pk=alternative_id).first()
    )
    if alternative is None or not reviews.scope(request.user).filter(pk=alternative.submission_id).exists():
        raise Http404("찾을 수 없습니다.")
    reviews.check(request.user, p.CONVERT, alternative)
    try:
        alternative = services.alternative_to_directive(
            alternative=alternative,
            actor=request.user,
            source=request.POST.get("source") or None,
            given_by=request.POST.get("given_by") or None,
            deadline_class=request.POST.get("deadline_class", ""),
        )
        messages.success(request, f"지시사항 {alternative.directive_number}(으)로 등록하고 부서에 공유했습니다.")
    except (ValidationError, ServiceError) as exc:
        _errors(request, exc)
    return redirect(f"{reverse('reviews:submission', args=[alternative.submission_id])}#alt-{alternative.pk}")


@login_required
def attachment(request: HttpRequest, submission_id: int) -> HttpResponseBase:
    sub = _submission(request, submission_id)
    if not sub.attachment:
        raise Http404("첨부가 없습니다.")
    try:
        handle = sub.attachment.open("rb")
    except FileNotFoundError:
        raise Http404("파일이 없습니다.")
    return FileResponse(handle, as_attachment=True, filename=sub.attachment_name or "attachment")


# --- the yearly scheme ----------------------------------------------------------------------------------


@login_required
def scheme(request: HttpRequest, year: int | None = None) -> HttpResponse:
    reviews.check(request.user, p.MANAGE)
    year = year or timezone.localdate().year
    own = ReviewScheme.objects.filter(year=year).first()
    create_form = SchemeCreateForm(
        request.POST if "new-year" in request.POST else None, initial={"year": year}, prefix="new"
    )
    state_form = StateForm(request.POST if "state-code" in request.POST else None, prefix="state")
    category_form = DelayCategoryForm(request.POST if "cat-label" in request.POST else None, prefix="cat")
    settings_form = SchemeSettingsForm(
        request.POST if "set-save" in request.POST else None,
        prefix="set",
        initial={"reminder_before": own.reminder_before, "remind_overdue": own.remind_overdue} if own else None,
    )
    if request.method == "POST":
        try:
            if create_form.is_bound and create_form.is_valid():
                created = services.scheme_create(year=create_form.cleaned_data["year"], actor=request.user)
                messages.success(request, f"{created.year}년 체계를 만들었습니다.")
                return redirect("reviews:scheme_year", year=created.year)
            if own is not None and state_form.is_bound and state_form.is_valid():
                services.state_save(scheme=own, actor=request.user, **state_form.cleaned_data)
                messages.success(request, "심사 결과 구분을 추가했습니다.")
                return redirect("reviews:scheme_year", year=year)
            if own is not None and category_form.is_bound and category_form.is_valid():
                services.delay_category_save(scheme=own, actor=request.user, **category_form.cleaned_data)
                messages.success(request, "부진 사유 구분을 추가했습니다.")
                return redirect("reviews:scheme_year", year=year)
            if own is not None and settings_form.is_bound and settings_form.is_valid():
                services.scheme_settings_update(scheme=own, actor=request.user, **settings_form.cleaned_data)
                messages.success(request, "알림 설정을 저장했습니다.")
                return redirect("reviews:scheme_year", year=year)
        except ValidationError as exc:
            for form in (create_form, state_form, category_form, settings_form):
                if form.is_bound:
                    apply_errors(form, exc)
    shown = own or selectors.scheme_for(year)
    return render(
        request,
        "reviews/scheme.html",
        {
            "year": year,
            "scheme": own,
            "shown": shown,
            "states": list(shown.states.all()) if shown else [],
            "categories": list(shown.delay_categories.all()) if shown else [],
            "create_form": create_form,
            "state_form": state_form,
            "category_form": category_form,
            "settings_form": settings_form,
            "schemes": ReviewScheme.objects.all(),
            "breadcrumbs": _crumbs(("체계", None)),
        },
    )


@login_required
def state_edit(request: HttpRequest, state_id: int) -> HttpResponse:
    reviews.check(request.user, p.MANAGE)
    state = AssessmentState.objects.select_related("scheme").filter(pk=state_id).first()
    if state is None:
        raise Http404("찾을 수 없습니다.")
    form = StateForm(
        request.POST or None,
        initial={
            "code": state.code,
            "label": state.label,
            "rule": state.rule,
            "gap_threshold": state.gap_threshold,
            "tone": state.tone,
            "order": state.order,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.state_save(scheme=state.scheme, state=state, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "저장했습니다.")
            return redirect("reviews:scheme_year", year=state.scheme.year)
    return render(
        request,
        "reviews/form.html",
        {
            "form": form,
            "title": f"{state.scheme.year}년 심사 결과 구분 — {state.label}",
            "breadcrumbs": _crumbs(
                ("체계", reverse("reviews:scheme_year", args=[state.scheme.year])), (state.label, None)
            ),
        },
    )


@login_required
@require_POST
def state_delete(request: HttpRequest, state_id: int) -> HttpResponse:
    reviews.check(request.user, p.MANAGE)
    state = AssessmentState.objects.select_related("scheme").filter(pk=state_id).first()
    if state is None:
        raise Http404("찾을 수 없습니다.")
    year = state.scheme.year
    try:
        services.state_delete(state=state, actor=request.user)
        messages.success(request, "삭제했습니다.")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("reviews:scheme_year", year=year)


@login_required
@require_POST
def category_delete(request: HttpRequest, category_id: int) -> HttpResponse:
    reviews.check(request.user, p.MANAGE)
    category = DelayCategory.objects.select_related("scheme").filter(pk=category_id).first()
    if category is None:
        raise Http404("찾을 수 없습니다.")
    year = category.scheme.year
    try:
        services.delay_category_delete(category=category, actor=request.user)
        messages.success(request, "삭제했습니다.")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("reviews:scheme_year", year=year)

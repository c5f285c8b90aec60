"""Pages of the department evaluation: thin views that resolve through the policy and call a service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from hwallyu.api.base import ServiceError
from hwallyu.core.documents import report_response
from hwallyu.org.models import Role
from hwallyu.org.selectors import department_of, departments, role_of
from hwallyu.performance import links, reports, scoring, selectors, services
from hwallyu.performance.forms import (
    ActualAcceptForm,
    ActualForm,
    AdjustmentForm,
    CommentForm,
    CommonTaskForm,
    GroupCreateForm,
    IndicatorForm,
    ReasonForm,
    SchemeCreateForm,
    SchemeForm,
    WhatIfForm,
)
from hwallyu.performance.models import (
    Actual,
    ActualStatus,
    Adjustment,
    CommonTask,
    CommonTaskScore,
    CustomerScore,
    Indicator,
    IndicatorSet,
    LinkKind,
    Scheme,
    SchemeGroup,
    SetStatus,
)
from hwallyu.performance.policies import (
    DEPARTMENT_ROLES,
    EDIT,
    MANAGE,
    SUBMIT,
    VIEW_RESULTS,
    is_office,
    performance_policy,
)

HOME = ("부서 성과관리", "performance:index")
QUARTERS = (1, 2, 3, 4)


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(label, reverse(url) if url and ":" in url else url) for label, url in items]


def _year_crumbs(scheme: Scheme, *items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return _crumbs(HOME, (f"{scheme.year}년", reverse("performance:overview", args=[scheme.year])), *items)


def _signed_in(request: HttpRequest) -> None:
    if role_of(request.user) is None:
        raise PermissionDenied


def _scheme(year: int) -> Scheme:
    scheme = selectors.scheme_for(year)
    if scheme is None:
        raise Http404("찾을 수 없습니다.")
    return scheme


def _require(request: HttpRequest, action: str) -> None:
    performance_policy.check(request.user, action)


def _set(request: HttpRequest, scheme: Scheme, code: str) -> IndicatorSet:
    return performance_policy.get_visible_or_404(
        request.user,
        IndicatorSet.objects.select_related("scheme", "department", "group", "submitted_by", "decided_by"),
        scheme=scheme,
        department__code=code,
    )


def _indicator(request: HttpRequest, pk: int) -> Indicator:
    indicator = (
        performance_policy.indicators(request.user)
        .select_related("indicator_set__scheme", "indicator_set__department")
        .filter(pk=pk)
        .first()
    )
    if indicator is None:
        raise Http404("찾을 수 없습니다.")
    return indicator


def _actual(request: HttpRequest, pk: int) -> Actual:
    actual = (
        performance_policy.actuals(request.user)
        .select_related("indicator__indicator_set__scheme", "indicator__indicator_set__department")
        .filter(pk=pk)
        .first()
    )
    if actual is None:
        raise Http404("찾을 수 없습니다.")
    return actual


def _department_url(indicator_set: IndicatorSet) -> str:
    return reverse("performance:department", args=[indicator_set.scheme.year, indicator_set.department.code])


def _next(request: HttpRequest, default: str) -> str:
    """The ``next`` address of a form when it stays on this site, else ``default``."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return default


def _run(request: HttpRequest, call: Callable[[], Any], success: str) -> bool:
    """Call one service; report success or its refusal as a message."""
    try:
        call()
    except ServiceError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


# --- years -----------------------------------------------------------------------------------------


def _index_context(request: HttpRequest, create_form: SchemeCreateForm | None = None) -> dict[str, Any]:
    schemes = list(selectors.schemes())
    years = [s.year for s in schemes]
    latest = schemes[0] if schemes else None
    suggested = (latest.year + 1) if latest else selectors.this_year()
    form = create_form or SchemeCreateForm(
        years=years, initial={"year": suggested, "copy_from": latest.year if latest else ""}
    )
    own = department_of(request.user) if role_of(request.user) in DEPARTMENT_ROLES else None
    return {
        "schemes": schemes,
        "create_form": form if is_office(request.user) else None,
        "own_department": own,
        "reads_all": performance_policy.can(request.user, VIEW_RESULTS),
        "breadcrumbs": _crumbs((HOME[0], None)),
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _signed_in(request)
    return render(request, "performance/index.html", _index_context(request))


@login_required
@require_POST
def scheme_create(request: HttpRequest) -> HttpResponse:
    _require(request, MANAGE)
    years = list(selectors.schemes().values_list("year", flat=True))
    form = SchemeCreateForm(request.POST, years=years)
    if form.is_valid():
        source = selectors.scheme_for(form.cleaned_data["copy_from"]) if form.cleaned_data["copy_from"] else None
        try:
            scheme = services.scheme_create(
                year=form.cleaned_data["year"],
                copy_from=source,
                copy_indicators=form.cleaned_data["copy_indicators"],
                actor=request.user,
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{scheme.year}년 평가 체계를 만들었습니다. 배점과 평가군을 확인하세요.")
            return redirect("performance:scheme", year=scheme.year)
    return render(request, "performance/index.html", _index_context(request, form))


@login_required
def overview(request: HttpRequest, year: int) -> HttpResponse:
    _signed_in(request)
    scheme = _scheme(year)
    if not performance_policy.can(request.user, VIEW_RESULTS):
        own = department_of(request.user)
        if own is None or not IndicatorSet.objects.filter(scheme=scheme, department=own).exists():
            raise Http404("찾을 수 없습니다.")
        return redirect("performance:department", year=year, code=own.code)
    run = selectors.frozen_run(scheme)
    return render(
        request,
        "performance/overview.html",
        {
            "scheme": scheme,
            "counts": selectors.status_counts(scheme),
            "groups": selectors.groups_of(scheme),
            "run": run,
            "can_manage": is_office(request.user),
            "breadcrumbs": _crumbs(HOME, (f"{year}년", None)),
        },
    )


@login_required
def latest_results(request: HttpRequest) -> HttpResponse:
    _require(request, VIEW_RESULTS)
    scheme = selectors.schemes().first()
    if scheme is None:
        messages.info(request, "아직 평가 체계가 없습니다.")
        return redirect("performance:index")
    return redirect("performance:results", year=scheme.year)


@login_required
def latest_review(request: HttpRequest) -> HttpResponse:
    _require(request, MANAGE)
    scheme = selectors.schemes().first()
    if scheme is None:
        messages.info(request, "아직 평가 체계가 없습니다.")
        return redirect("performance:index")
    return redirect("performance:review", year=scheme.year)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) not in DEPARTMENT_ROLES:
        raise PermissionDenied
    own = department_of(request.user)
    found = (
        IndicatorSet.objects.filter(department=own).select_related("scheme").order_by("-scheme__year").first()
        if own
        else None
    )
    if found is None:
        messages.info(request, "우리 부서가 들어 있는 평가 체계가 아직 없습니다.")
        return redirect("performance:index")
    return redirect("performance:department", year=found.scheme.year, code=found.department.code)


# --- the scheme ------------------------------------------------------------------------------------


@login_required
def scheme_view(request: HttpRequest, year: int) -> HttpResponse:
    _signed_in(request)
    scheme = _scheme(year)
    can_manage = is_office(request.user)
    form = None
    if can_manage:
        form = SchemeForm(request.POST or None, initial=SchemeForm.initial_for(scheme))
        if request.method == "POST" and form.is_valid():
            try:
                services.scheme_update(scheme=scheme, data=form.to_input(), actor=request.user)
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "평가 체계를 저장했습니다. 확정된 결과는 바뀌지 않습니다.")
                return redirect("performance:scheme", year=year)
    elif request.method == "POST":
        raise PermissionDenied
    years = list(selectors.schemes().values_list("year", flat=True))
    return render(
        request,
        "performance/scheme.html",
        {
            "scheme": scheme,
            "form": form,
            "can_manage": can_manage,
            "has_run": selectors.frozen_run(scheme) is not None,
            "copy_form": SchemeCreateForm(years=years, initial={"year": year + 1, "copy_from": year})
            if can_manage and (year + 1) not in years
            else None,
            "breadcrumbs": _year_crumbs(scheme, ("평가 체계", None)),
        },
    )


@login_required
@require_POST
def scheme_delete(request: HttpRequest, year: int) -> HttpResponse:
    _require(request, MANAGE)
    scheme = _scheme(year)
    if _run(request, lambda: services.scheme_delete(scheme=scheme, actor=request.user), f"{year}년 체계를 지웠습니다."):
        return redirect("performance:index")
    return redirect("performance:scheme", year=year)


@login_required
def groups(request: HttpRequest, year: int) -> HttpResponse:
    _require(request, MANAGE)
    scheme = _scheme(year)
    group_form = GroupCreateForm(prefix="group")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            group_form = GroupCreateForm(request.POST, prefix="group")
            if group_form.is_valid():
                try:
                    services.group_create(scheme=scheme, actor=request.user, **group_form.cleaned_data)
                except ServiceError as exc:
                    group_form.add_error(None, exc.message)
                else:
                    messages.success(request, "평가군을 추가했습니다.")
                    return redirect("performance:groups", year=year)
        elif action == "rename":
            group = SchemeGroup.objects.filter(scheme=scheme, pk=request.POST.get("group") or 0).first()
            if group is None:
                raise Http404("찾을 수 없습니다.")
            try:
                order = int(request.POST.get("order") or group.order)
            except ValueError:
                order = group.order
            if _run(
                request,
                lambda: services.group_update(
                    group=group, name=request.POST.get("name", ""), order=order, actor=request.user
                ),
                "평가군을 고쳤습니다.",
            ):
                return redirect("performance:groups", year=year)
        elif action == "members":
            assignments: dict[int, int | None] = {}
            for key, value in request.POST.items():
                if key.startswith("dept_") and key[5:].isdigit():
                    assignments[int(key[5:])] = int(value) if value.isdigit() else None
            if _run(
                request,
                lambda: services.membership_update(scheme=scheme, assignments=assignments, actor=request.user),
                "평가군 배정을 저장했습니다.",
            ):
                return redirect("performance:groups", year=year)
    members = {s.department_id: s.group_id for s in IndicatorSet.objects.filter(scheme=scheme)}
    rows = [(d, members.get(d.pk, "missing")) for d in departments(active_only=True).order_by("order", "code")]
    return render(
        request,
        "performance/groups.html",
        {
            "scheme": scheme,
            "groups": list(selectors.groups_of(scheme)),
            "rows": rows,
            "group_form": group_form,
            "breadcrumbs": _year_crumbs(scheme, ("평가군", None)),
        },
        status=200,
    )


@login_required
@require_POST
def group_delete(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    _require(request, MANAGE)
    scheme = _scheme(year)
    group = SchemeGroup.objects.filter(scheme=scheme, pk=pk).first()
    if group is None:
        raise Http404("찾을 수 없습니다.")
    _run(request, lambda: services.group_delete(group=group, actor=request.user), "평가군을 지웠습니다.")
    return redirect("performance:groups", year=year)


# --- departments and their indicators -----------------------------------------------------------


@login_required
def department_list(request: HttpRequest, year: int) -> HttpResponse:
    _signed_in(request)
    scheme = _scheme(year)
    sets = list(selectors.set_list(request.user, scheme))
    counts = selectors.actual_counts(sets)
    for s in sets:
        s.actual_counts = counts.get(s.pk, {})  # type: ignore[attr-defined]
    return render(
        request,
        "performance/departments.html",
        {
            "scheme": scheme,
            "sets": sets,
            "statuses": SetStatus,
            "breadcrumbs": _year_crumbs(scheme, ("부서별 성과지표", None)),
        },
    )


def _department_context(request: HttpRequest, indicator_set: IndicatorSet, **forms: Any) -> dict[str, Any]:
    user = request.user
    indicators = selectors.set_detail(indicator_set)
    for indicator in indicators:
        by_quarter = {a.quarter: a for a in indicator.actuals.all()}
        indicator.quarters = [(q, by_quarter.get(q)) for q in QUARTERS]  # type: ignore[attr-defined]
    can_edit = performance_policy.can(user, EDIT, indicator_set)
    manage = is_office(user)
    weight_sum = sum((i.weight for i in indicators), scoring.ZERO)
    return {
        "scheme": indicator_set.scheme,
        "set": indicator_set,
        "indicators": indicators,
        "weight_sum": weight_sum,
        "problems": services.set_problems(indicator_set) if indicator_set.editable or manage else [],
        "can_edit": can_edit and indicator_set.editable,
        "can_enter": can_edit and indicator_set.status == SetStatus.APPROVED,
        "can_submit": performance_policy.can(user, SUBMIT, indicator_set) and indicator_set.editable,
        "can_manage": manage,
        "return_form": forms.get("return_form") or CommentForm(),
        "accept_form": ActualAcceptForm(scheme=indicator_set.scheme),
        "actual_return_form": CommentForm(),
        "quarters": QUARTERS,
        "statuses": SetStatus,
        "actual_statuses": ActualStatus,
        "breadcrumbs": _year_crumbs(
            indicator_set.scheme,
            ("부서별 성과지표", reverse("performance:departments", args=[indicator_set.scheme.year])),
            (indicator_set.department.name, None),
        ),
    }


@login_required
def department(request: HttpRequest, year: int, code: str) -> HttpResponse:
    scheme = _scheme(year)
    indicator_set = _set(request, scheme, code)
    return render(request, "performance/department.html", _department_context(request, indicator_set))


def _indicator_form_page(
    request: HttpRequest, indicator_set: IndicatorSet, form: IndicatorForm, indicator: Indicator | None
) -> HttpResponse:
    return render(
        request,
        "performance/indicator_form.html",
        {
            "scheme": indicator_set.scheme,
            "set": indicator_set,
            "form": form,
            "indicator": indicator,
            "link_options": links.options(indicator_set.scheme.year),
            "link_kinds": LinkKind,
            "breadcrumbs": _year_crumbs(
                indicator_set.scheme,
                (indicator_set.department.name, _department_url(indicator_set)),
                ("지표 수정" if indicator else "지표 추가", None),
            ),
        },
    )


@login_required
def indicator_create(request: HttpRequest, year: int, code: str) -> HttpResponse:
    scheme = _scheme(year)
    indicator_set = _set(request, scheme, code)
    performance_policy.check(request.user, EDIT, indicator_set)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_create(indicator_set=indicator_set, data=form.to_data(), actor=request.user)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "성과지표를 추가했습니다.")
            return redirect(_department_url(indicator_set))
    return _indicator_form_page(request, indicator_set, form, None)


@login_required
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    indicator_set = indicator.indicator_set
    performance_policy.check(request.user, EDIT, indicator_set)
    form = IndicatorForm(request.POST or None, initial=IndicatorForm.initial_for(indicator))
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(indicator=indicator, data=form.to_data(), actor=request.user)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "성과지표를 고쳤습니다.")
            return redirect(_department_url(indicator_set))
    return _indicator_form_page(request, indicator_set, form, indicator)


@login_required
@require_POST
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    _run(request, lambda: services.indicator_delete(indicator=indicator, actor=request.user), "성과지표를 지웠습니다.")
    return redirect(_department_url(indicator.indicator_set))


@login_required
@require_POST
def set_submit(request: HttpRequest, year: int, code: str) -> HttpResponse:
    indicator_set = _set(request, _scheme(year), code)
    _run(
        request,
        lambda: services.set_submit(indicator_set=indicator_set, actor=request.user),
        "성과관리팀에 지표 승인을 요청했습니다.",
    )
    return redirect(_department_url(indicator_set))


@login_required
@require_POST
def set_approve(request: HttpRequest, year: int, code: str) -> HttpResponse:
    indicator_set = _set(request, _scheme(year), code)
    _run(request, lambda: services.set_approve(indicator_set=indicator_set, actor=request.user), "지표를 승인했습니다.")
    return redirect(_next(request, _department_url(indicator_set)))


@login_required
@require_POST
def set_return(request: HttpRequest, year: int, code: str) -> HttpResponse:
    indicator_set = _set(request, _scheme(year), code)
    performance_policy.check(request.user, MANAGE, indicator_set)
    form = CommentForm(request.POST)
    if not form.is_valid():
        context = _department_context(request, indicator_set, return_form=form)
        return render(request, "performance/department.html", context)
    _run(
        request,
        lambda: services.set_return(
            indicator_set=indicator_set, comment=form.cleaned_data["comment"], actor=request.user
        ),
        "지표 보완을 요청했습니다.",
    )
    return redirect(_department_url(indicator_set))


# --- actuals ---------------------------------------------------------------------------------------


@login_required
def actual_edit(request: HttpRequest, pk: int, quarter: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    indicator_set = indicator.indicator_set
    performance_policy.check(request.user, EDIT, indicator_set)
    if quarter not in QUARTERS:
        raise Http404("찾을 수 없습니다.")
    actual = indicator.actuals.filter(quarter=quarter).prefetch_related("evidence").first()
    initial = {"value": actual.value, "note": actual.note} if actual else {}
    form = ActualForm(request.POST or None, request.FILES or None, indicator=indicator, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.actual_submit(
                indicator=indicator,
                quarter=quarter,
                value=form.cleaned_data.get("value"),
                note=form.cleaned_data.get("note") or "",
                files=form.cleaned_data.get("files") or [],
                actor=request.user,
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{quarter}분기 실적을 제출했습니다. 성과관리팀이 확인합니다.")
            return redirect(_department_url(indicator_set))
    return render(
        request,
        "performance/actual_form.html",
        {
            "scheme": indicator_set.scheme,
            "set": indicator_set,
            "indicator": indicator,
            "quarter": quarter,
            "actual": actual,
            "form": form,
            "locked": indicator_set.status != SetStatus.APPROVED
            or (actual is not None and actual.status == ActualStatus.ACCEPTED),
            "breadcrumbs": _year_crumbs(
                indicator_set.scheme,
                (indicator_set.department.name, _department_url(indicator_set)),
                (f"{indicator.name} {quarter}분기 실적", None),
            ),
        },
    )


@login_required
@require_POST
def actual_accept(request: HttpRequest, pk: int) -> HttpResponse:
    actual = _actual(request, pk)
    performance_policy.check(request.user, MANAGE)
    form = ActualAcceptForm(request.POST, scheme=actual.indicator.indicator_set.scheme)
    level = form.cleaned_data.get("level", "") if form.is_valid() else ""
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    else:
        _run(
            request,
            lambda: services.actual_accept(actual=actual, level=level, actor=request.user),
            f"{actual.indicator.name} {actual.quarter}분기 실적을 확인했습니다.",
        )
    return redirect(_next(request, _department_url(actual.indicator.indicator_set)))


@login_required
@require_POST
def actual_return(request: HttpRequest, pk: int) -> HttpResponse:
    actual = _actual(request, pk)
    performance_policy.check(request.user, MANAGE)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "보완 요청 사유를 입력하세요.")
    else:
        _run(
            request,
            lambda: services.actual_return(actual=actual, comment=form.cleaned_data["comment"], actor=request.user),
            "실적 보완을 요청했습니다.",
        )
    return redirect(_next(request, _department_url(actual.indicator.indicator_set)))


@login_required
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    item = performance_policy.evidence(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404("찾을 수 없습니다.")
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("파일을 찾을 수 없습니다.") from exc
    return FileResponse(handle, as_attachment=True, filename=item.name)


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = (
        performance_policy.evidence(request.user)
        .select_related("actual__indicator__indicator_set")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404("찾을 수 없습니다.")
    actual = item.actual
    _run(request, lambda: services.evidence_delete(evidence=item, actor=request.user), "증빙자료를 지웠습니다.")
    return redirect("performance:actual_edit", pk=actual.indicator_id, quarter=actual.quarter)


@login_required
def review(request: HttpRequest, year: int) -> HttpResponse:
    _require(request, MANAGE)
    scheme = _scheme(year)
    submitted = list(
        IndicatorSet.objects.filter(scheme=scheme, status=SetStatus.SUBMITTED)
        .select_related("department", "group", "submitted_by")
        .order_by("submitted_at")
    )
    return render(
        request,
        "performance/review.html",
        {
            "scheme": scheme,
            "submitted_sets": submitted,
            "actuals": list(selectors.pending_actuals(scheme)),
            "accept_form": ActualAcceptForm(scheme=scheme),
            "return_form": CommentForm(),
            "breadcrumbs": _year_crumbs(scheme, ("검토 대기", None)),
        },
    )


# --- other items -------------------------------------------------------------------------------------


def _grouped_sets(scheme: Scheme) -> list[IndicatorSet]:
    return list(
        IndicatorSet.objects.filter(scheme=scheme, group__isnull=False)
        .select_related("department", "group")
        .order_by("group__order", "department__order", "department__code")
    )


def _posted_values(request: HttpRequest, prefix: str, allowed: set[int]) -> dict[int, str | None]:
    values: dict[int, str | None] = {}
    for key, value in request.POST.items():
        if key.startswith(prefix) and key[len(prefix) :].isdigit():
            department_id = int(key[len(prefix) :])
            if department_id in allowed:
                values[department_id] = value.strip() or None
    return values


@login_required
def customer(request: HttpRequest, year: int) -> HttpResponse:
    _require(request, MANAGE)
    scheme = _scheme(year)
    sets = _grouped_sets(scheme)
    errors: list[str] = []
    posted: dict[int, str | None] = {}
    if request.method == "POST":
        posted = _posted_values(request, "score_", {s.department_id for s in sets})
        try:
            changed = services.customer_scores_save(scheme=scheme, scores=posted, actor=request.user)
        except ServiceError as exc:
            errors.append(exc.message)
        else:
            messages.success(request, f"고객인식도를 저장했습니다({changed}개 부서 변경).")
            return redirect("performance:customer", year=year)
    stored = {c.department_id: c for c in CustomerScore.objects.filter(scheme=scheme)}
    survey = selectors.customer_survey_scores(scheme, [s.department_id for s in sets])
    rows = [
        {
            "set": s,
            "stored": stored.get(s.department_id),
            "value": posted.get(s.department_id, stored[s.department_id].score if s.department_id in stored else ""),
            "survey": survey.get(s.department_id),
        }
        for s in sets
    ]
    return render(
        request,
        "performance/customer.html",
        {
            "scheme": scheme,
            "rows": rows,
            "errors": errors,
            "survey_available": bool(survey) or not sets,
            "breadcrumbs": _year_crumbs(scheme, (scheme.customer_label, None)),
        },
    )


@login_required
@require_POST
def customer_import(request: HttpRequest, year: int) -> HttpResponse:
    _require(request, MANAGE)
    scheme = _scheme(year)
    try:
        filled, missing = services.customer_scores_import(scheme=scheme, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"행정만족도 조사 점수로 {filled}개 부서를 채웠습니다. 조사 점수가 없는 {missing}개 부서는 그대로입니다.",
        )
    return redirect("performance:customer", year=year)


@login_required
def common(request: HttpRequest, year: int) -> HttpResponse:
    _require(request, MANAGE)
    scheme = _scheme(year)
    form = CommonTaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.common_task_create(scheme=scheme, actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "공통과제를 추가했습니다.")
            return redirect("performance:common", year=year)
    from django.db.models import Count

    tasks = scheme.common_tasks.annotate(scored=Count("scores"))
    return render(
        request,
        "performance/common.html",
        {
            "scheme": scheme,
            "tasks": tasks,
            "form": form,
            "department_count": len(_grouped_sets(scheme)),
            "breadcrumbs": _year_crumbs(scheme, (scheme.common_label, None)),
        },
    )


def _task(scheme: Scheme, pk: int) -> CommonTask:
    task = CommonTask.objects.filter(scheme=scheme, pk=pk).select_related("scheme").first()
    if task is None:
        raise Http404("찾을 수 없습니다.")
    return task


@login_required
def common_scores(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    _require(request, MANAGE)
    scheme = _scheme(year)
    task = _task(scheme, pk)
    sets = _grouped_sets(scheme)
    errors: list[str] = []
    posted: dict[int, str | None] = {}
    if request.method == "POST":
        posted = _posted_values(request, "points_", {s.department_id for s in sets})
        try:
            changed = services.common_scores_save(task=task, points=posted, actor=request.user)
        except ServiceError as exc:
            errors.append(exc.message)
        else:
            messages.success(request, f"'{task.name}' 점수를 저장했습니다({changed}개 부서 변경).")
            return redirect("performance:common_scores", year=year, pk=pk)
    stored = {s.department_id: s.points for s in CommonTaskScore.objects.filter(task=task)}
    rows = [{"set": s, "value": posted.get(s.department_id, stored.get(s.department_id, ""))} for s in sets]
    return render(
        request,
        "performance/common_scores.html",
        {
            "scheme": scheme,
            "task": task,
            "rows": rows,
            "errors": errors,
            "breadcrumbs": _year_crumbs(
                scheme, (scheme.common_label, reverse("performance:common", args=[year])), (task.name, None)
            ),
        },
    )


@login_required
@require_POST
def common_delete(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    _require(request, MANAGE)
    task = _task(_scheme(year), pk)
    _run(request, lambda: services.common_task_delete(task=task, actor=request.user), "공통과제를 지웠습니다.")
    return redirect("performance:common", year=year)


@login_required
def adjustments(request: HttpRequest, year: int) -> HttpResponse:
    _require(request, MANAGE)
    scheme = _scheme(year)
    sets = _grouped_sets(scheme)
    form = AdjustmentForm(request.POST or None, departments=[(s.department_id, s.department.name) for s in sets])
    if request.method == "POST" and form.is_valid():
        department_obj = next(s.department for s in sets if s.department_id == form.cleaned_data["department"])
        try:
            services.adjustment_create(
                scheme=scheme,
                department=department_obj,
                kind=form.cleaned_data["kind"],
                points=form.cleaned_data["points"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "가감점을 등록했습니다.")
            return redirect("performance:adjustments", year=year)
    entries = Adjustment.objects.filter(scheme=scheme).select_related("department", "created_by")
    return render(
        request,
        "performance/adjustments.html",
        {
            "scheme": scheme,
            "entries": entries,
            "form": form,
            "breadcrumbs": _year_crumbs(scheme, ("가감점", None)),
        },
    )


@login_required
@require_POST
def adjustment_delete(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    _require(request, MANAGE)
    scheme = _scheme(year)
    entry = Adjustment.objects.filter(scheme=scheme, pk=pk).first()
    if entry is None:
        raise Http404("찾을 수 없습니다.")
    _run(request, lambda: services.adjustment_delete(adjustment=entry, actor=request.user), "가감점을 지웠습니다.")
    return redirect("performance:adjustments", year=year)


# --- results ---------------------------------------------------------------------------------------


def _readiness(scheme: Scheme) -> list[str]:
    """What is not finished yet (shown before freezing)."""
    counts = selectors.status_counts(scheme)
    notes = []
    waiting = counts["set_total"] - counts["sets"][SetStatus.APPROVED]
    if waiting:
        notes.append(f"지표가 승인되지 않은 부서 {waiting}곳(지표달성도 0점으로 계산)")
    if counts["actuals"][ActualStatus.SUBMITTED]:
        notes.append(f"확인을 기다리는 실적 {counts['actuals'][ActualStatus.SUBMITTED]}건(확인된 실적만 반영)")
    if counts["actuals"][ActualStatus.RETURNED]:
        notes.append(f"보완 요청 중인 실적 {counts['actuals'][ActualStatus.RETURNED]}건")
    missing = (
        IndicatorSet.objects.filter(scheme=scheme, group__isnull=False)
        .exclude(department_id__in=CustomerScore.objects.filter(scheme=scheme).values("department_id"))
        .count()
    )
    if missing:
        notes.append(f"{scheme.customer_label} 점수가 없는 부서 {missing}곳(0점으로 계산)")
    return notes


@login_required
def results(request: HttpRequest, year: int) -> HttpResponse:
    _require(request, VIEW_RESULTS)
    scheme = _scheme(year)
    found = selectors.results(scheme)
    live = found.live or selectors.live_result(scheme)
    rules = found.run.rules if found.run else selectors.rules_to_json(live.rules)
    grade_codes = [g["code"] for g in rules["grades"]]
    manage = is_office(request.user)
    return render(
        request,
        "performance/results.html",
        {
            "scheme": scheme,
            "found": found,
            "rules": rules,
            "groups": selectors.groups_of_rows(found.rows),
            "grade_codes": grade_codes,
            "grade_counts": selectors.grade_counts(found.rows, grade_codes),
            "chart": selectors.distribution_chart(found.rows),
            "distribution": selectors.distribution_table(found.rows),
            "fingerprint": live.fingerprint,
            "changed_since": found.run is not None and found.run.input_hash != live.fingerprint,
            "readiness": _readiness(scheme) if found.run is None else [],
            "past_runs": selectors.past_runs(scheme),
            "can_manage": manage,
            "reason_form": ReasonForm(),
            "breadcrumbs": _year_crumbs(scheme, ("평가 결과", None)),
        },
    )


@login_required
@require_POST
def freeze(request: HttpRequest, year: int) -> HttpResponse:
    _require(request, MANAGE)
    scheme = _scheme(year)
    _run(
        request,
        lambda: services.run_freeze(
            scheme=scheme, expected_fingerprint=request.POST.get("fingerprint") or None, actor=request.user
        ),
        f"{year}년 평가 결과를 확정했습니다. 이후 자료를 고쳐도 확정 결과는 바뀌지 않습니다.",
    )
    return redirect("performance:results", year=year)


@login_required
@require_POST
def reopen(request: HttpRequest, year: int) -> HttpResponse:
    _require(request, MANAGE)
    scheme = _scheme(year)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "확정 취소 사유를 입력하세요.")
    else:
        _run(
            request,
            lambda: services.run_reopen(scheme=scheme, reason=form.cleaned_data["reason"], actor=request.user),
            "확정을 취소했습니다. 취소한 결과는 기록으로 남습니다.",
        )
    return redirect("performance:results", year=year)


@login_required
def drilldown(request: HttpRequest, year: int, code: str) -> HttpResponse:
    scheme = _scheme(year)
    indicator_set = _set(request, scheme, code)
    reads_all = performance_policy.can(request.user, VIEW_RESULTS)
    found = selectors.results(scheme) if reads_all else None
    if not reads_all:
        run = selectors.frozen_run(scheme)
        found = selectors.Results(list(run.rows), run, None) if run else None
    row = selectors.department_row(found.rows, code) if found else None
    rules = None
    if found is not None:
        rules = found.run.rules if found.run else selectors.rules_to_json(selectors.rules_of(scheme))
    crumbs: list[tuple[str, str | None]] = []
    if reads_all:
        crumbs.append(("평가 결과", reverse("performance:results", args=[year])))
    return render(
        request,
        "performance/drilldown.html",
        {
            "scheme": scheme,
            "set": indicator_set,
            "found": found,
            "row": row,
            "rules": rules,
            "reads_all": reads_all,
            "breadcrumbs": _year_crumbs(scheme, *crumbs, (indicator_set.department.name, None)),
        },
    )


@login_required
def whatif(request: HttpRequest, year: int) -> HttpResponse:
    """Try changes and compare with the frozen run (or the current result); nothing is saved."""
    _require(request, VIEW_RESULTS)
    scheme = _scheme(year)
    run = selectors.frozen_run(scheme)
    if run is not None:
        rules = scoring.rules_from_json(run.rules)
        inputs = scoring.inputs_from_rows(run.rows)
        baseline = list(run.rows)
    else:
        rules = selectors.rules_of(scheme)
        inputs = selectors.evaluation_inputs(scheme)
        baseline = scoring.evaluate_rows(inputs, rules)
    choices = [(i.id, f"{d.name} · {i.name}") for d in sorted(inputs, key=lambda d: d.code) for i in d.indicators]
    submitted = any(k in request.GET for k in ("indicator_0", "weight_indicator"))
    form = WhatIfForm(request.GET if submitted else None, indicators=choices, levels=scheme.levels)
    comparison = None
    if submitted and form.is_valid():
        changed_rules = rules
        weights = form.item_weights()
        if weights is not None:
            changed_rules = replace(
                rules, weight_indicator=weights[0], weight_customer=weights[1], weight_common=weights[2]
            )
        after = scoring.evaluate_rows(scoring.apply_changes(inputs, form.changes()), changed_rules)
        comparison = scoring.compare(baseline, after)
    context = {
        "scheme": scheme,
        "run": run,
        "rules": rules,
        "form": form,
        "comparison": comparison,
        "changed_count": sum(1 for r in comparison if r.changed) if comparison else 0,
        "breadcrumbs": _year_crumbs(
            scheme, ("평가 결과", reverse("performance:results", args=[year])), ("가정 분석", None)
        ),
    }
    template = "performance/whatif.html#comparison" if request.htmx and submitted else "performance/whatif.html"
    return render(request, template, context)


@login_required
def download(request: HttpRequest, year: int, kind: str, fmt: str) -> HttpResponse:
    _require(request, VIEW_RESULTS)
    scheme = _scheme(year)
    if kind not in reports.KINDS or fmt not in ("hwpx", "xlsx"):
        raise Http404("찾을 수 없습니다.")
    return report_response(reports.build(scheme, kind), fmt, reports.filename(scheme, kind))


# --- dashboard -------------------------------------------------------------------------------------


def dashboard_cards(user: Any) -> list[Any]:
    from hwallyu.core.navigation import Card

    role = role_of(user)
    if role is None:
        return []
    counts = selectors.pending_counts_for(user)
    if not counts:
        return []
    year = counts["year"]
    if is_office(user):
        return [
            Card(
                "지표 승인 요청",
                counts["sets_submitted"],
                reverse("performance:review", args=[year]),
                f"{year}년",
                "warning" if counts["sets_submitted"] else "",
            ),
            Card(
                "확인할 실적",
                counts["actuals_submitted"],
                reverse("performance:review", args=[year]),
                f"{year}년 분기 실적",
                "warning" if counts["actuals_submitted"] else "",
            ),
            Card(
                "평가 결과",
                "확정" if counts["frozen"] else "미확정",
                reverse("performance:results", args=[year]),
                f"{year}년 부서 성과평가",
                "success" if counts["frozen"] else "",
            ),
        ]
    if role in (Role.EXECUTIVE, Role.AUDIT):
        return [
            Card(
                "부서 성과평가",
                "확정" if counts["frozen"] else "미확정",
                reverse("performance:results", args=[year]),
                f"{year}년 결과",
                "success" if counts["frozen"] else "",
            )
        ]
    own = department_of(user)
    if own is None:
        return []
    url = reverse("performance:department", args=[year, own.code])
    return [
        Card(
            "보완 요청 실적",
            counts["actuals_returned"],
            url,
            f"{year}년",
            "danger" if counts["actuals_returned"] else "",
        ),
        Card("작성 중 지표", counts["sets_open"], url, f"{year}년 우리 부서", "warning" if counts["sets_open"] else ""),
    ]

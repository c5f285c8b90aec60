"""Pages of a department: indicators and their approval, quarterly actuals and evidence, the review queue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hwallyu.api.base import ServiceError
from hwallyu.performance import links, scoring, selectors, services
from hwallyu.performance.forms import (
    ActualAcceptForm,
    ActualForm,
    CommentForm,
    IndicatorForm,
)
from hwallyu.performance.models import (
    ActualStatus,
    Indicator,
    IndicatorSet,
    Kind,
    LinkKind,
    SetStatus,
)
from hwallyu.performance.policies import (
    EDIT,
    MANAGE,
    SUBMIT,
    is_office,
    performance_policy,
)
from hwallyu.performance.views.common import (
    QUARTERS,
    actual_or_404,
    department_url,
    indicator_or_404,
    next_url,
    require,
    run_service,
    scheme_or_404,
    set_or_404,
    signed_in,
    year_crumbs,
)

REVIEW_PAGE_SIZE = 50

# --- departments and their indicators -----------------------------------------------------------


@login_required
def department_list(request: HttpRequest, year: int) -> HttpResponse:
    signed_in(request)
    scheme = scheme_or_404(year)
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
            "breadcrumbs": year_crumbs(scheme, ("부서별 성과지표", None)),
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
        "breadcrumbs": year_crumbs(
            indicator_set.scheme,
            ("부서별 성과지표", reverse("performance:departments", args=[indicator_set.scheme.year])),
            (indicator_set.department.name, None),
        ),
    }


@login_required
def department(request: HttpRequest, year: int, code: str) -> HttpResponse:
    scheme = scheme_or_404(year)
    indicator_set = set_or_404(request, scheme, code)
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
            "breadcrumbs": year_crumbs(
                indicator_set.scheme,
                (indicator_set.department.name, department_url(indicator_set)),
                ("지표 수정" if indicator else "지표 추가", None),
            ),
        },
    )


@login_required
def indicator_create(request: HttpRequest, year: int, code: str) -> HttpResponse:
    scheme = scheme_or_404(year)
    indicator_set = set_or_404(request, scheme, code)
    performance_policy.check(request.user, EDIT, indicator_set)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_create(indicator_set=indicator_set, data=form.to_data(), actor=request.user)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "성과지표를 추가했습니다.")
            return redirect(department_url(indicator_set))
    return _indicator_form_page(request, indicator_set, form, None)


@login_required
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = indicator_or_404(request, pk)
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
            return redirect(department_url(indicator_set))
    return _indicator_form_page(request, indicator_set, form, indicator)


@login_required
@require_POST
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = indicator_or_404(request, pk)
    run_service(
        request, lambda: services.indicator_delete(indicator=indicator, actor=request.user), "성과지표를 지웠습니다."
    )
    return redirect(department_url(indicator.indicator_set))


@login_required
@require_POST
def set_submit(request: HttpRequest, year: int, code: str) -> HttpResponse:
    indicator_set = set_or_404(request, scheme_or_404(year), code)
    run_service(
        request,
        lambda: services.set_submit(indicator_set=indicator_set, actor=request.user),
        "성과관리팀에 지표 승인을 요청했습니다.",
    )
    return redirect(department_url(indicator_set))


@login_required
@require_POST
def set_approve(request: HttpRequest, year: int, code: str) -> HttpResponse:
    indicator_set = set_or_404(request, scheme_or_404(year), code)
    run_service(
        request, lambda: services.set_approve(indicator_set=indicator_set, actor=request.user), "지표를 승인했습니다."
    )
    return redirect(next_url(request, department_url(indicator_set)))


@login_required
@require_POST
def set_return(request: HttpRequest, year: int, code: str) -> HttpResponse:
    indicator_set = set_or_404(request, scheme_or_404(year), code)
    performance_policy.check(request.user, MANAGE, indicator_set)
    form = CommentForm(request.POST)
    if not form.is_valid():
        context = _department_context(request, indicator_set, return_form=form)
        return render(request, "performance/department.html", context)
    run_service(
        request,
        lambda: services.set_return(
            indicator_set=indicator_set, comment=form.cleaned_data["comment"], actor=request.user
        ),
        "지표 보완을 요청했습니다.",
    )
    return redirect(department_url(indicator_set))


# --- actuals ---------------------------------------------------------------------------------------


@login_required
def actual_edit(request: HttpRequest, pk: int, quarter: int) -> HttpResponse:
    indicator = indicator_or_404(request, pk)
    indicator_set = indicator.indicator_set
    performance_policy.check(request.user, EDIT, indicator_set)
    if quarter not in QUARTERS:
        raise Http404("찾을 수 없습니다.")
    actual = indicator.actuals.filter(quarter=quarter).prefetch_related("evidence").first()
    province = (
        links.province_actual(indicator_set.scheme.year, indicator.link_ref)
        if indicator.link_kind == LinkKind.PROVINCE and indicator.kind == Kind.QUANTITATIVE
        else None
    )
    initial = {"value": actual.value, "note": actual.note} if actual else {}
    if actual is None and province is not None:
        initial["value"] = province.value
    form = ActualForm(request.POST or None, request.FILES or None, indicator=indicator, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.actual_submit(
                indicator=indicator,
                quarter=quarter,
                value=form.cleaned_data.get("value"),
                note=form.cleaned_data.get("note") or "",
                files=form.cleaned_data.get("evidence_files") or [],
                actor=request.user,
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{quarter}분기 실적을 제출했습니다. 성과관리팀이 확인합니다.")
            return redirect(department_url(indicator_set))
    return render(
        request,
        "performance/actual_form.html",
        {
            "scheme": indicator_set.scheme,
            "set": indicator_set,
            "indicator": indicator,
            "quarter": quarter,
            "actual": actual,
            "province": province,
            "form": form,
            "locked": indicator_set.status != SetStatus.APPROVED
            or (actual is not None and actual.status == ActualStatus.ACCEPTED),
            "breadcrumbs": year_crumbs(
                indicator_set.scheme,
                (indicator_set.department.name, department_url(indicator_set)),
                (f"{indicator.name} {quarter}분기 실적", None),
            ),
        },
    )


@login_required
@require_POST
def actual_accept(request: HttpRequest, pk: int) -> HttpResponse:
    actual = actual_or_404(request, pk)
    performance_policy.check(request.user, MANAGE)
    form = ActualAcceptForm(request.POST, scheme=actual.indicator.indicator_set.scheme)
    level = form.cleaned_data.get("level", "") if form.is_valid() else ""
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    else:
        run_service(
            request,
            lambda: services.actual_accept(actual=actual, level=level, actor=request.user),
            f"{actual.indicator.name} {actual.quarter}분기 실적을 확인했습니다.",
        )
    return redirect(next_url(request, department_url(actual.indicator.indicator_set)))


@login_required
@require_POST
def actual_return(request: HttpRequest, pk: int) -> HttpResponse:
    actual = actual_or_404(request, pk)
    performance_policy.check(request.user, MANAGE)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "보완 요청 사유를 입력하세요.")
    else:
        run_service(
            request,
            lambda: services.actual_return(actual=actual, comment=form.cleaned_data["comment"], actor=request.user),
            "실적 보완을 요청했습니다.",
        )
    return redirect(next_url(request, department_url(actual.indicator.indicator_set)))


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
    run_service(request, lambda: services.evidence_delete(evidence=item, actor=request.user), "증빙자료를 지웠습니다.")
    return redirect("performance:actual_edit", pk=actual.indicator_id, quarter=actual.quarter)


@login_required
def review(request: HttpRequest, year: int) -> HttpResponse:
    require(request, MANAGE)
    scheme = scheme_or_404(year)
    submitted = list(
        IndicatorSet.objects.filter(scheme=scheme, status=SetStatus.SUBMITTED)
        .select_related("department", "group", "submitted_by")
        .order_by("submitted_at")
    )
    # The actuals of a large city's quarter run to hundreds: a page at a time, oldest department first.
    page = Paginator(selectors.pending_actuals(scheme), REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "performance/review.html",
        {
            "scheme": scheme,
            "submitted_sets": submitted,
            "actuals": page.object_list,
            "page": page,
            "accept_form": ActualAcceptForm(scheme=scheme),
            "return_form": CommentForm(),
            "breadcrumbs": year_crumbs(scheme, ("검토 대기", None)),
        },
    )

"""Pages of the years: the list, a year's overview, the scheme and its groups."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hwallyu.api.base import ServiceError
from hwallyu.org.selectors import department_of, departments, role_of
from hwallyu.performance import selectors, services
from hwallyu.performance.forms import (
    GroupCreateForm,
    SchemeCreateForm,
    SchemeForm,
)
from hwallyu.performance.models import (
    IndicatorSet,
    SchemeGroup,
)
from hwallyu.performance.policies import (
    DEPARTMENT_ROLES,
    MANAGE,
    VIEW_RESULTS,
    is_office,
    performance_policy,
)
from hwallyu.performance.views.common import (
    HOME,
    crumbs,
    require,
    run_service,
    scheme_or_404,
    signed_in,
    year_crumbs,
)

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
        "breadcrumbs": crumbs((HOME[0], None)),
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    signed_in(request)
    return render(request, "performance/index.html", _index_context(request))


@login_required
@require_POST
def scheme_create(request: HttpRequest) -> HttpResponse:
    require(request, MANAGE)
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
    signed_in(request)
    scheme = scheme_or_404(year)
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
            "breadcrumbs": crumbs(HOME, (f"{year}년", None)),
        },
    )


@login_required
def latest_results(request: HttpRequest) -> HttpResponse:
    require(request, VIEW_RESULTS)
    scheme = selectors.schemes().first()
    if scheme is None:
        messages.info(request, "아직 평가 체계가 없습니다.")
        return redirect("performance:index")
    return redirect("performance:results", year=scheme.year)


@login_required
def latest_review(request: HttpRequest) -> HttpResponse:
    require(request, MANAGE)
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
    signed_in(request)
    scheme = scheme_or_404(year)
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
            "breadcrumbs": year_crumbs(scheme, ("평가 체계", None)),
        },
    )


@login_required
@require_POST
def scheme_delete(request: HttpRequest, year: int) -> HttpResponse:
    require(request, MANAGE)
    scheme = scheme_or_404(year)
    if run_service(
        request, lambda: services.scheme_delete(scheme=scheme, actor=request.user), f"{year}년 체계를 지웠습니다."
    ):
        return redirect("performance:index")
    return redirect("performance:scheme", year=year)


@login_required
def groups(request: HttpRequest, year: int) -> HttpResponse:
    require(request, MANAGE)
    scheme = scheme_or_404(year)
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
            if run_service(
                request,
                lambda: services.group_update(
                    group=group, name=request.POST.get("name", ""), order=order, actor=request.user
                ),
                "평가군을 고쳤습니다.",
            ):
                return redirect("performance:groups", year=year)
        elif action == "members":
            assignments: dict[int, int | None] = {}
            for key in request.POST:
                value = request.POST.get(key, "")
                if key.startswith("dept_") and key[5:].isdigit():
                    assignments[int(key[5:])] = int(value) if value.isdigit() else None
            if run_service(
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
            "breadcrumbs": year_crumbs(scheme, ("평가군", None)),
        },
        status=200,
    )


@login_required
@require_POST
def group_delete(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    require(request, MANAGE)
    scheme = scheme_or_404(year)
    group = SchemeGroup.objects.filter(scheme=scheme, pk=pk).first()
    if group is None:
        raise Http404("찾을 수 없습니다.")
    run_service(request, lambda: services.group_delete(group=group, actor=request.user), "평가군을 지웠습니다.")
    return redirect("performance:groups", year=year)

"""Pages of the other items: customer perception, common tasks, bonus and penalty."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hwallyu.api.base import ServiceError
from hwallyu.performance import selectors, services
from hwallyu.performance.forms import (
    AdjustmentForm,
    CommonTaskForm,
)
from hwallyu.performance.models import (
    Adjustment,
    CommonTask,
    CommonTaskScore,
    CustomerScore,
    IndicatorSet,
    Scheme,
)
from hwallyu.performance.policies import (
    MANAGE,
)
from hwallyu.performance.views.common import (
    require,
    run_service,
    scheme_or_404,
    year_crumbs,
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
    for key in request.POST:
        if key.startswith(prefix) and key[len(prefix) :].isdigit():
            department_id = int(key[len(prefix) :])
            if department_id in allowed:
                values[department_id] = request.POST.get(key, "").strip() or None
    return values


@login_required
def customer(request: HttpRequest, year: int) -> HttpResponse:
    require(request, MANAGE)
    scheme = scheme_or_404(year)
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
            "breadcrumbs": year_crumbs(scheme, (scheme.customer_label, None)),
        },
    )


@login_required
@require_POST
def customer_import(request: HttpRequest, year: int) -> HttpResponse:
    require(request, MANAGE)
    scheme = scheme_or_404(year)
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
    require(request, MANAGE)
    scheme = scheme_or_404(year)
    form = CommonTaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.common_task_create(scheme=scheme, actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "공통과제를 추가했습니다.")
            return redirect("performance:common", year=year)
    tasks = scheme.common_tasks.annotate(scored=Count("scores"))
    return render(
        request,
        "performance/common.html",
        {
            "scheme": scheme,
            "tasks": tasks,
            "form": form,
            "department_count": len(_grouped_sets(scheme)),
            "breadcrumbs": year_crumbs(scheme, (scheme.common_label, None)),
        },
    )


def _task(scheme: Scheme, pk: int) -> CommonTask:
    task = CommonTask.objects.filter(scheme=scheme, pk=pk).select_related("scheme").first()
    if task is None:
        raise Http404("찾을 수 없습니다.")
    return task


@login_required
def common_scores(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    require(request, MANAGE)
    scheme = scheme_or_404(year)
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
            "breadcrumbs": year_crumbs(
                scheme, (scheme.common_label, reverse("performance:common", args=[year])), (task.name, None)
            ),
        },
    )


@login_required
@require_POST
def common_delete(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    require(request, MANAGE)
    task = _task(scheme_or_404(year), pk)
    run_service(request, lambda: services.common_task_delete(task=task, actor=request.user), "공통과제를 지웠습니다.")
    return redirect("performance:common", year=year)


@login_required
def adjustments(request: HttpRequest, year: int) -> HttpResponse:
    require(request, MANAGE)
    scheme = scheme_or_404(year)
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
            "breadcrumbs": year_crumbs(scheme, ("가감점", None)),
        },
    )


@login_required
@require_POST
def adjustment_delete(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    require(request, MANAGE)
    scheme = scheme_or_404(year)
    entry = Adjustment.objects.filter(scheme=scheme, pk=pk).first()
    if entry is None:
        raise Http404("찾을 수 없습니다.")
    run_service(
        request, lambda: services.adjustment_delete(adjustment=entry, actor=request.user), "가감점을 지웠습니다."
    )
    return redirect("performance:adjustments", year=year)

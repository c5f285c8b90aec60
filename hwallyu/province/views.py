"""Pages of the province evaluation: thin views that resolve through the policy and call a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from hwallyu.api.base import ServiceError
from hwallyu.core.documents import CONTENT_TYPES, content_disposition, report_response
from hwallyu.org.selectors import department_of, departments, role_of
from hwallyu.province import charts, selectors, services
from hwallyu.province.forecast import ACHIEVED, LAGGING, METHOD_LABELS, NO_DATA, ON_TRACK
from hwallyu.province.forms import (
    ActualForm,
    ChecklistForm,
    ConsultingForm,
    DecisionForm,
    IndicatorFilterForm,
    IndicatorForm,
    SchemeForm,
    UploadForm,
    WhatIfForm,
    WriteupForm,
    YearCreateForm,
)
from hwallyu.province.importers import (
    ImportFileError,
    indicator_template_xlsx,
    parse_indicator_file,
    parse_peer_file,
)
from hwallyu.province.models import Actual, DeadlineKind, EvaluationYear, Evidence, Indicator, IndicatorType
from hwallyu.province.policies import DEPARTMENT_ROLES, indicator_policy, is_office, reads_all
from hwallyu.province.reports import pack_report

SECTION = "시군평가"


def _require_role(request: HttpRequest) -> None:
    if role_of(request.user) is None:
        raise PermissionDenied


def _crumbs(year: EvaluationYear | None, *items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [(SECTION, reverse("province:years"))]
    if year is not None:
        crumbs.append((f"{year.year}년", reverse("province:year", args=[year.year])))
    return crumbs + list(items)


def _year(year: int) -> EvaluationYear:
    return selectors.year_or_404(year)


def _department_lookup() -> dict[str, Any]:
    lookup: dict[str, Any] = {}
    for department in departments():
        lookup[department.code] = department
        lookup[department.name] = department
    return lookup


# --- years -----------------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _require_role(request)
    latest = selectors.latest_year()
    if latest is None:
        return redirect("province:years")
    return redirect("province:year", year=latest.year)


def _current(page: str, check: Callable[[Any], bool]) -> Callable[[HttpRequest], HttpResponse]:
    @login_required
    def view(request: HttpRequest) -> HttpResponse:
        _require_role(request)
        if not check(request.user):
            raise PermissionDenied
        latest = selectors.latest_year()
        if latest is None:
            return redirect("province:years")
        return redirect(f"province:{page}", year=latest.year)

    return view


entry_current = _current("entry", lambda u: indicator_policy.can(u, "entry"))
lagging_current = _current("lagging", lambda u: role_of(u) is not None)
review_current = _current("review", lambda u: indicator_policy.can(u, "review"))
pack_current = _current("pack", lambda u: indicator_policy.can(u, "pack"))


@login_required
def year_list(request: HttpRequest) -> HttpResponse:
    _require_role(request)
    form = YearCreateForm(request.POST or None)
    if request.method == "POST":
        indicator_policy.check(request.user, "manage")
        if form.is_valid():
            try:
                created = services.year_create(year=form.cleaned_data["year"], actor=request.user)
            except ServiceError as exc:
                form.add_error("year", exc.message)
            else:
                messages.success(
                    request, f"{created.year}년 시군평가를 만들었습니다. 기준을 확인하고 지표 목록을 가져오세요."
                )
                return redirect("province:scheme", year=created.year)
    return render(
        request,
        "province/years.html",
        {
            "years": selectors.years(),
            "form": form,
            "can_manage": is_office(request.user),
            "breadcrumbs": [(SECTION, None)],
        },
    )


@login_required
def year_detail(request: HttpRequest, year: int) -> HttpResponse:
    _require_role(request)
    evaluation_year = _year(year)
    month = selectors.month_param(evaluation_year, request.GET.get("month"))
    rows = selectors.year_rows(request.user, evaluation_year, month=month)
    counts = selectors.status_counts(rows)
    quantitative = [r for r in rows if r.indicator.is_quantitative]
    return render(
        request,
        "province/year.html",
        {
            "evaluation_year": evaluation_year,
            "month": month,
            "months": range(1, 13),
            "type_counts": selectors.type_counts(evaluation_year),
            "visible_quantitative": len(quantitative),
            "visible_qualitative": len(rows) - len(quantitative),
            "summary": {
                "achieved": counts[ACHIEVED],
                "on_track": counts[ON_TRACK],
                "lagging": counts[LAGGING],
                "no_data": counts[NO_DATA],
                "qualitative_done": counts[selectors.QUALITATIVE_DONE],
                "qualitative_late": counts[selectors.QUALITATIVE_LATE],
            },
            "lagging": [r for r in quantitative if r.is_lagging][:10],
            "lagging_total": counts[LAGGING],
            "deadlines": selectors.deadlines(evaluation_year),
            "now": timezone.now(),
            "pending": selectors.pending_actuals(evaluation_year).count() if is_office(request.user) else None,
            "can_manage": is_office(request.user),
            "can_enter": indicator_policy.can(request.user, "entry"),
            "reads_all": reads_all(request.user),
            "department": department_of(request.user) if role_of(request.user) in DEPARTMENT_ROLES else None,
            "breadcrumbs": _crumbs(None, (f"{evaluation_year.year}년", None)),
        },
    )


@login_required
def scheme(request: HttpRequest, year: int) -> HttpResponse:
    indicator_policy.check(request.user, "manage")
    evaluation_year = _year(year)
    form = SchemeForm(request.POST or None, initial=SchemeForm.initial_for(evaluation_year))
    if request.method == "POST" and form.is_valid():
        try:
            services.year_update(evaluation_year=evaluation_year, scheme=form.scheme(), actor=request.user)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{year}년 시군평가 기준을 저장했습니다. 기한을 다시 계산했습니다.")
            return redirect("province:year", year=year)
    return render(
        request,
        "province/scheme.html",
        {
            "form": form,
            "evaluation_year": evaluation_year,
            "deadlines": selectors.deadlines(evaluation_year),
            "breadcrumbs": _crumbs(evaluation_year, ("기준 설정", None)),
        },
    )


@login_required
@require_POST
def year_delete(request: HttpRequest, year: int) -> HttpResponse:
    indicator_policy.check(request.user, "manage")
    evaluation_year = _year(year)
    try:
        services.year_delete(evaluation_year=evaluation_year, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("province:year", year=year)
    messages.success(request, f"{year}년 시군평가를 삭제했습니다.")
    return redirect("province:years")


# --- import -----------------------------------------------------------------------------------------


@login_required
def import_indicators(request: HttpRequest, year: int) -> HttpResponse:
    indicator_policy.check(request.user, "import")
    evaluation_year = _year(year)
    form = UploadForm(request.POST or None, request.FILES or None)
    error: ImportFileError | None = None
    summary = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = parse_indicator_file(upload.read(), upload.name, _department_lookup())
            summary = services.indicators_import(
                evaluation_year=evaluation_year, rows=rows, actor=request.user, dry_run=form.cleaned_data["dry_run"]
            )
        except ImportFileError as exc:
            error = exc
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            if not summary.dry_run:
                counts = summary.counts
                messages.success(
                    request,
                    f"지표 {summary.total}개를 반영했습니다"
                    f"(새 지표 {len(summary.created)}, 수정 {len(summary.updated)}). "
                    f"현재 {counts['quantitative'] + counts['qualitative']}개 = 정량 {counts['quantitative']} + "
                    f"정성 {counts['qualitative']}.",
                )
                return redirect("province:indicators", year=year)
    return render(
        request,
        "province/import.html",
        {
            "form": form,
            "error": error,
            "summary": summary,
            "evaluation_year": evaluation_year,
            "type_counts": selectors.type_counts(evaluation_year),
            "breadcrumbs": _crumbs(evaluation_year, ("지표 가져오기", None)),
        },
    )


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    indicator_policy.check(request.user, "import")
    response = HttpResponse(indicator_template_xlsx(), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = content_disposition("시군평가_지표목록_양식.xlsx")
    return response


# --- indicators -------------------------------------------------------------------------------------


@login_required
def indicator_list(request: HttpRequest, year: int) -> HttpResponse:
    _require_role(request)
    evaluation_year = _year(year)
    department_choices = list(departments(active_only=True).order_by("order", "name").values_list("code", "name"))
    month = selectors.default_month(evaluation_year)
    params = request.GET.copy()
    if not params.get("month"):
        params["month"] = str(month)
    fields, type_counts = selectors.fields_and_type_counts(evaluation_year)
    form = IndicatorFilterForm(params, field_choices=fields, department_choices=department_choices)
    filters = selectors.IndicatorFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.IndicatorFilters(
            kind=data["kind"], field=data["field"], department=data["department"], status=data["status"], q=data["q"]
        )
        month = data["month"] or month
    rows = selectors.year_rows(request.user, evaluation_year, month=month, filters=filters)
    for row in rows:
        row.spark = charts.sparkline(row)  # type: ignore[attr-defined]
    context = {
        "evaluation_year": evaluation_year,
        "form": form,
        "rows": rows,
        "month": month,
        "type_counts": type_counts,
        "can_manage": is_office(request.user),
        "breadcrumbs": _crumbs(evaluation_year, ("지표 현황", None)),
    }
    template = "province/indicators.html#results" if getattr(request, "htmx", False) else "province/indicators.html"
    return render(request, template, context)


def _indicator_context(request: HttpRequest, indicator: Indicator, **forms: Any) -> dict[str, Any]:
    evaluation_year = indicator.evaluation_year
    month = selectors.month_param(evaluation_year, request.GET.get("month"))
    row = selectors.status_rows(evaluation_year, [indicator], month=month)[0]
    user = request.user
    can_enter = indicator.is_quantitative and indicator_policy.can(user, "enter", indicator)
    can_qualitative = (
        not indicator.is_quantitative
        and indicator_policy.can(user, "qualitative", indicator)
        and indicator.submitted_at is None
    )
    checks = (
        {c.label: c for c in indicator.checks.select_related("checked_by")} if not indicator.is_quantitative else {}
    )
    checklist = [(label, checks.get(label)) for label in evaluation_year.qualitative_checklist]
    qualitative_deadline = selectors.deadline_of(evaluation_year, DeadlineKind.QUALITATIVE)
    return {
        "indicator": indicator,
        "evaluation_year": evaluation_year,
        "row": row,
        "month": month,
        "method_label": METHOD_LABELS.get(row.evaluation.method, "") if row.evaluation else "",
        "chart": charts.indicator_chart(row) if indicator.is_quantitative else "",
        "actuals": selectors.actuals_of(indicator) if indicator.is_quantitative else [],
        "actual_form": forms.get("actual_form") or (ActualForm(initial={"month": month}) if can_enter else None),
        "decision_form": DecisionForm(),
        "can_review": indicator_policy.can(user, "review"),
        "can_enter": can_enter,
        "can_manage": is_office(user),
        "can_qualitative": can_qualitative,
        "writeups": list(indicator.writeups.select_related("author")) if not indicator.is_quantitative else [],
        "consultations": list(indicator.consultations.select_related("created_by"))
        if not indicator.is_quantitative
        else [],
        "checklist": checklist,
        "checklist_done": all(c is not None for _, c in checklist),
        "qualitative_deadline": qualitative_deadline,
        "writeup_form": forms.get("writeup_form") or WriteupForm(),
        "consulting_form": forms.get("consulting_form") or ConsultingForm(),
        "now": timezone.now(),
        "breadcrumbs": _crumbs(
            evaluation_year,
            ("지표 현황", reverse("province:indicators", args=[evaluation_year.year])),
            (indicator.code, None),
        ),
    }


@login_required
def indicator_detail(request: HttpRequest, year: int, code: str) -> HttpResponse:
    indicator = selectors.indicator_detail(request.user, year, code)
    return render(request, "province/indicator.html", _indicator_context(request, indicator))


@login_required
def indicator_create(request: HttpRequest, year: int) -> HttpResponse:
    indicator_policy.check(request.user, "manage")
    evaluation_year = _year(year)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_create(
                evaluation_year=evaluation_year, data=form.to_input(), actor=request.user
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{indicator.code} 지표를 추가했습니다.")
            return redirect("province:indicator", year=year, code=indicator.code)
    return render(
        request,
        "province/indicator_form.html",
        {
            "form": form,
            "evaluation_year": evaluation_year,
            "indicator": None,
            "breadcrumbs": _crumbs(evaluation_year, ("지표 추가", None)),
        },
    )


@login_required
def indicator_edit(request: HttpRequest, year: int, code: str) -> HttpResponse:
    indicator = selectors.indicator_detail(request.user, year, code)
    indicator_policy.check(request.user, "manage", indicator)
    form = IndicatorForm(request.POST or None, initial=IndicatorForm.initial_for(indicator))
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_update(indicator=indicator, data=form.to_input(), actor=request.user)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{indicator.code} 지표를 고쳤습니다.")
            return redirect("province:indicator", year=year, code=indicator.code)
    return render(
        request,
        "province/indicator_form.html",
        {
            "form": form,
            "evaluation_year": indicator.evaluation_year,
            "indicator": indicator,
            "breadcrumbs": _crumbs(indicator.evaluation_year, (indicator.code, None), ("수정", None)),
        },
    )


@login_required
@require_POST
def indicator_delete(request: HttpRequest, year: int, code: str) -> HttpResponse:
    indicator = selectors.indicator_detail(request.user, year, code)
    indicator_policy.check(request.user, "manage", indicator)
    try:
        services.indicator_delete(indicator=indicator, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("province:indicator", year=year, code=code)
    messages.success(request, f"{code} 지표를 삭제했습니다.")
    return redirect("province:indicators", year=year)


# --- actuals ----------------------------------------------------------------------------------------


@login_required
@require_POST
def actual_enter(request: HttpRequest, year: int, code: str) -> HttpResponse:
    indicator = selectors.indicator_detail(request.user, year, code)
    if not indicator_policy.can(request.user, "enter", indicator):
        raise PermissionDenied
    from_entry = request.POST.get("from") == "entry"
    form = ActualForm(request.POST, request.FILES)
    message = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            actual = services.actual_submit(
                indicator=indicator,
                month=data["month"],
                value=data["value"],
                note=data["note"],
                lag_reason=data["lag_reason"],
                files=data["evidence"],
                actor=request.user,
            )
        except ServiceError as exc:
            message = exc.message
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, f"{indicator.code} {actual.month}월 누계를 입력했습니다. 성과관리팀 검토를 기다립니다."
            )
            if from_entry:
                return redirect(f"{reverse('province:entry', args=[year])}?month={actual.month}")
            return redirect("province:indicator", year=year, code=code)
    else:
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if from_entry:
        messages.error(request, f"{indicator.code}: {message}")
        month = request.POST.get("month", "")
        return redirect(f"{reverse('province:entry', args=[year])}?month={month}")
    return render(request, "province/indicator.html", _indicator_context(request, indicator, actual_form=form))


def _actual(request: HttpRequest, year: int, pk: int) -> Actual:
    actual = (
        Actual.objects.filter(pk=pk, indicator__evaluation_year__year=year)
        .select_related("indicator__evaluation_year")
        .first()
    )
    if actual is None:
        raise Http404("찾을 수 없습니다.")
    indicator_policy.get_visible_or_404(request.user, pk=actual.indicator_id)
    return actual


def _back(request: HttpRequest, actual: Actual) -> HttpResponse:
    if request.POST.get("from") == "review":
        return redirect("province:review", year=actual.indicator.evaluation_year.year)
    return redirect("province:indicator", year=actual.indicator.evaluation_year.year, code=actual.indicator.code)


@login_required
@require_POST
def actual_accept(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    actual = _actual(request, year, pk)
    indicator_policy.check(request.user, "review")
    form = DecisionForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.actual_accept(actual=actual, actor=request.user, comment=comment)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{actual.indicator.code} {actual.month}월 실적을 승인했습니다.")
    return _back(request, actual)


@login_required
@require_POST
def actual_return(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    actual = _actual(request, year, pk)
    indicator_policy.check(request.user, "review")
    form = DecisionForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.actual_return(actual=actual, actor=request.user, comment=comment)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"{actual.indicator.code} {actual.month}월 실적을 반려했습니다. 담당 부서에 알렸습니다."
        )
    return _back(request, actual)


@login_required
@require_POST
def actual_delete(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    actual = _actual(request, year, pk)
    if not indicator_policy.can(request.user, "enter", actual.indicator):
        raise PermissionDenied
    try:
        services.actual_delete(actual=actual, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{actual.indicator.code} {actual.month}월 실적을 삭제했습니다.")
    return redirect("province:indicator", year=year, code=actual.indicator.code)


@login_required
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    item = Evidence.objects.select_related("actual").filter(pk=pk).first()
    if item is None:
        raise Http404("찾을 수 없습니다.")
    indicator_policy.get_visible_or_404(request.user, pk=item.actual.indicator_id)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("파일을 찾을 수 없습니다.") from exc
    return FileResponse(handle, as_attachment=True, filename=item.name)


@login_required
def entry(request: HttpRequest, year: int) -> HttpResponse:
    """The monthly entry sheet: a department's quantitative indicators for one month."""
    if not indicator_policy.can(request.user, "entry"):
        raise PermissionDenied
    evaluation_year = _year(year)
    month = selectors.month_param(evaluation_year, request.GET.get("month"))
    office = is_office(request.user)
    department = department_of(request.user)
    department_choices: list[tuple[str, str]] = []
    if office:
        owning = (
            departments()
            .filter(
                province_indicators__evaluation_year=evaluation_year,
                province_indicators__kind=IndicatorType.QUANTITATIVE,
            )
            .distinct()
            .order_by("order", "name")
        )
        department_choices = [(d.code, d.name) for d in owning]
        wanted = request.GET.get("dept") or (department_choices[0][0] if department_choices else "")
        department = next((d for d in owning if d.code == wanted), None)
    indicators = (
        selectors.indicators_for_all(evaluation_year).filter(departments=department, kind=IndicatorType.QUANTITATIVE)
        if department is not None
        else Indicator.objects.none()
    )
    due = selectors.deadline_of(evaluation_year, DeadlineKind.MONTHLY, month)
    return render(
        request,
        "province/entry.html",
        {
            "evaluation_year": evaluation_year,
            "month": month,
            "months": range(1, 13),
            "department": department,
            "department_choices": department_choices,
            "rows": selectors.entry_rows(evaluation_year, indicators, month),
            "due": due,
            "now": timezone.now(),
            "breadcrumbs": _crumbs(evaluation_year, ("실적 입력", None)),
        },
    )


@login_required
def review(request: HttpRequest, year: int) -> HttpResponse:
    indicator_policy.check(request.user, "review")
    evaluation_year = _year(year)
    return render(
        request,
        "province/review.html",
        {
            "evaluation_year": evaluation_year,
            "pending": list(selectors.pending_actuals(evaluation_year)),
            "decision_form": DecisionForm(),
            "breadcrumbs": _crumbs(evaluation_year, ("실적 검토", None)),
        },
    )


# --- lagging, pack ----------------------------------------------------------------------------------


@login_required
def lagging(request: HttpRequest, year: int) -> HttpResponse:
    _require_role(request)
    evaluation_year = _year(year)
    month = selectors.month_param(evaluation_year, request.GET.get("month"))
    rows = selectors.lagging_rows(request.user, evaluation_year, month=month)
    return render(
        request,
        "province/lagging.html",
        {
            "evaluation_year": evaluation_year,
            "month": month,
            "months": range(1, 13),
            "rows": rows,
            "can_whatif": indicator_policy.can(request.user, "peers"),
            "breadcrumbs": _crumbs(evaluation_year, ("부진지표", None)),
        },
    )


@login_required
def pack(request: HttpRequest, year: int) -> HttpResponse:
    indicator_policy.check(request.user, "pack")
    evaluation_year = _year(year)
    month = selectors.month_param(evaluation_year, request.GET.get("month"))
    return render(
        request,
        "province/pack.html",
        {
            "evaluation_year": evaluation_year,
            "month": month,
            "months": range(1, 13),
            "pack": selectors.pack_data(evaluation_year, month),
            "breadcrumbs": _crumbs(evaluation_year, ("보고회 자료", None)),
        },
    )


@login_required
def pack_download(request: HttpRequest, year: int, month: int, fmt: str) -> HttpResponse:
    indicator_policy.check(request.user, "pack")
    evaluation_year = _year(year)
    if fmt not in ("hwpx", "xlsx") or not 1 <= month <= 12:
        raise Http404("지원하지 않는 문서 형식입니다.")
    report = pack_report(selectors.pack_data(evaluation_year, month))
    return report_response(report, fmt, f"{year}년_시군평가_{month}월_추진상황_부진지표_보고회")


# --- qualitative ------------------------------------------------------------------------------------


def _qualitative_action(
    request: HttpRequest,
    year: int,
    code: str,
    run: Callable[[Indicator, dict[str, Any]], Any],
    success: str,
    form_class: type | None = None,
    form_key: str = "",
) -> HttpResponse:
    indicator = selectors.indicator_detail(request.user, year, code)
    if not indicator_policy.can(request.user, "qualitative", indicator):
        raise PermissionDenied
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return render(request, "province/indicator.html", _indicator_context(request, indicator, **{form_key: form}))
    try:
        run(indicator, form.cleaned_data if form is not None else {})
    except ServiceError as exc:
        if form is not None and form_key:
            form.add_error(None, exc.message)
            return render(
                request, "province/indicator.html", _indicator_context(request, indicator, **{form_key: form})
            )
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("province:indicator", year=year, code=code)


@login_required
@require_POST
def writeup_save(request: HttpRequest, year: int, code: str) -> HttpResponse:
    return _qualitative_action(
        request,
        year,
        code,
        lambda i, d: services.writeup_save(indicator=i, title=d["title"], body=d["body"], actor=request.user),
        "우수사례를 새 판으로 저장했습니다.",
        WriteupForm,
        "writeup_form",
    )


@login_required
@require_POST
def consulting_add(request: HttpRequest, year: int, code: str) -> HttpResponse:
    return _qualitative_action(
        request,
        year,
        code,
        lambda i, d: services.consulting_add(
            indicator=i,
            held_on=d["held_on"],
            expert=d["expert"],
            advice=d["advice"],
            follow_up=d["follow_up"],
            actor=request.user,
        ),
        "전문가 컨설팅을 기록했습니다.",
        ConsultingForm,
        "consulting_form",
    )


@login_required
@require_POST
def checklist_set(request: HttpRequest, year: int, code: str) -> HttpResponse:
    return _qualitative_action(
        request,
        year,
        code,
        lambda i, d: services.checklist_set(indicator=i, label=d["label"], checked=d["checked"], actor=request.user),
        "제출 점검표를 고쳤습니다.",
        ChecklistForm,
    )


@login_required
@require_POST
def qualitative_submit(request: HttpRequest, year: int, code: str) -> HttpResponse:
    return _qualitative_action(
        request,
        year,
        code,
        lambda i, d: services.qualitative_submit(indicator=i, actor=request.user),
        "정성 실적을 제출 완료로 표시했습니다.",
    )


# --- peers and what-if ------------------------------------------------------------------------------


@login_required
def peers(request: HttpRequest) -> HttpResponse:
    indicator_policy.check(request.user, "peers")
    history = selectors.rank_history()
    results = list(selectors.peer_results())
    by_year: dict[int, dict[str, list[Any]]] = {}
    for result in results:
        by_year.setdefault(result.year, {}).setdefault(result.get_group_display(), []).append(result)
    return render(
        request,
        "province/peers.html",
        {
            "history": history,
            "chart": charts.rank_chart(history) if history else "",
            "by_year": by_year,
            "form": UploadForm(),
            "can_manage": indicator_policy.can(request.user, "peers_manage"),
            "latest": selectors.latest_year(),
            "breadcrumbs": [(SECTION, reverse("province:years")), ("시군 비교", None)],
        },
    )


@login_required
def peer_import(request: HttpRequest) -> HttpResponse:
    indicator_policy.check(request.user, "peers_manage")
    form = UploadForm(request.POST or None, request.FILES or None)
    error: ImportFileError | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = parse_peer_file(upload.read(), upload.name)
            if not form.cleaned_data["dry_run"]:
                summary = services.peers_import(rows=rows, actor=request.user)
        except ImportFileError as exc:
            error = exc
        else:
            if form.cleaned_data["dry_run"]:
                messages.success(request, f"오류가 없습니다. {len(rows)}행을 가져올 수 있습니다.")
            else:
                found = "" if summary.self_found else " 우리 시 결과 행은 없었습니다(시·군 이름 확인)."
                messages.success(
                    request,
                    f"시군평가 결과를 가져왔습니다: 새로 {summary.created}행, 갱신 {summary.updated}행 "
                    f"({', '.join(map(str, summary.years))}년).{found}",
                )
            return redirect("province:peers")
    return render(
        request,
        "province/peer_import.html",
        {
            "form": form,
            "error": error,
            "breadcrumbs": [
                (SECTION, reverse("province:years")),
                ("시군 비교", reverse("province:peers")),
                ("결과 가져오기", None),
            ],
        },
    )


def _whatif_label(row: selectors.Row) -> str:
    indicator = row.indicator
    achievement = f"현재 달성도 {row.achievement:.1f}%" if row.achievement is not None else "실적 없음"
    return f"{indicator.code} {indicator.name} (배점 {indicator.points.normalize():f}, {achievement})"


@login_required
def what_if(request: HttpRequest, year: int) -> HttpResponse:
    indicator_policy.check(request.user, "peers")
    evaluation_year = _year(year)
    month = selectors.month_param(evaluation_year, request.GET.get("month"))
    lagging_rows = selectors.lagging_rows(request.user, evaluation_year, month=month)
    choices = [(r.indicator.code, _whatif_label(r)) for r in lagging_rows]
    form = WhatIfForm(request.GET if "codes" in request.GET else None, choices=choices)
    outcome = None
    error = ""
    base = selectors.whatif_base(evaluation_year)
    if form.is_bound and form.is_valid():
        try:
            outcome = selectors.what_if(evaluation_year, form.cleaned_data["codes"], month=month)
        except ServiceError as exc:
            error = exc.message
    return render(
        request,
        "province/what_if.html",
        {
            "evaluation_year": evaluation_year,
            "month": month,
            "form": form,
            "rows": lagging_rows,
            "outcome": outcome,
            "base": base,
            "error": error,
            "breadcrumbs": _crumbs(evaluation_year, ("가정 분석", None)),
        },
    )

"""Pages of strategic initiatives: the portfolio, one page per initiative with its tabs, the event
calendar, the status report and documents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from hwallyu.api.base import ServiceError
from hwallyu.core.documents import report_response
from hwallyu.initiatives import reports, selectors, services, timeline
from hwallyu.initiatives.forms import InitiativeForm, TrendFilterForm, month_param
from hwallyu.initiatives.models import Document, InstitutionState, MilestoneState
from hwallyu.initiatives.policies import MANAGE, trends
from hwallyu.initiatives.views.common import (
    apply_error,
    can_manage,
    crumbs,
    form_page,
    get_initiative,
    require_manage,
    tab_page,
)

REPORT_FORMATS = ("hwpx", "xlsx")
TREND_PAGE_SIZE = 30
EVENT_PAGE_SIZE = 50
DOCUMENT_PAGE_SIZE = 50


@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    data = selectors.portfolio(request.user)
    return render(
        request,
        "initiatives/portfolio.html",
        {
            "portfolio": data,
            "can_manage": can_manage(request),
            "breadcrumbs": [("전략사업 현황", None)],
        },
    )


@login_required
def initiative_create(request: HttpRequest) -> HttpResponse:
    require_manage(request)
    form = InitiativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.initiative_create(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "전략사업을 등록했습니다.")
            return redirect("initiatives:detail", pk=initiative.pk)
    return form_page(request, form, title="전략사업 등록", initiative=None, back=reverse("initiatives:portfolio"))


@login_required
def initiative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    require_manage(request, initiative)
    form = InitiativeForm(request.POST or None, initial=InitiativeForm.initial_for(initiative))
    if request.method == "POST" and form.is_valid():
        changed = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
        try:
            services.initiative_update(initiative=initiative, actor=request.user, **changed)
        except ServiceError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "전략사업을 저장했습니다.")
            return redirect("initiatives:detail", pk=initiative.pk)
    return form_page(
        request, form, title="전략사업 수정", initiative=initiative, back=reverse("initiatives:detail", args=[pk])
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    today = selectors.today()
    stages = selectors.milestones(initiative)
    open_stages = [m for m in stages if m.state != MilestoneState.DONE]
    partners = selectors.partners(initiative)
    return tab_page(
        request,
        initiative,
        "detail",
        "initiatives/detail.html",
        {
            "stages": stages,
            "stages_done": len(stages) - len(open_stages),
            "next_stages": open_stages[:3],
            "late_stages": [m for m in stages if m.late_state(today) == "late"],
            "events": selectors.upcoming_events(initiative, today, limit=5),
            "signed": [p for p in partners if p.is_signed],
            "partner_count": len(partners),
            "trends": selectors.initiative_trends(initiative, limit=3),
            "budget": selectors.budget(initiative),
            "targets": list(initiative.targets.order_by("order", "id")),
            "report_formats": REPORT_FORMATS,
        },
    )


@login_required
def milestones(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    stages = selectors.milestones(initiative)
    today = selectors.today()
    return tab_page(
        request,
        initiative,
        "milestones",
        "initiatives/milestones.html",
        {"stages": stages, "timeline": timeline.build_timeline(initiative, stages, today)},
    )


@login_required
def readiness(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    return tab_page(
        request, initiative, "readiness", "initiatives/readiness.html", {"groups": selectors.review_groups(initiative)}
    )


@login_required
def partners(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    rows = selectors.partners(initiative)
    return tab_page(
        request,
        initiative,
        "partners",
        "initiatives/partners.html",
        {"partners": rows, "signed": sum(1 for p in rows if p.is_signed)},
    )


@login_required
def partner(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    obj = selectors.partner_for(initiative, item_id)
    return tab_page(request, initiative, "partners", "initiatives/partner.html", {"partner": obj})


@login_required
def targets(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    return tab_page(
        request,
        initiative,
        "targets",
        "initiatives/targets.html",
        {"targets": list(initiative.targets.order_by("order", "id"))},
    )


@login_required
def budget(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    return tab_page(request, initiative, "budget", "initiatives/budget.html", {"budget": selectors.budget(initiative)})


@login_required
def events(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    qs = selectors.events_queryset(initiative)
    number: str | int | None = request.GET.get("page")
    if not number:
        # A long campaign has hundreds of events: open on the page with today's.
        number = selectors.events_before(initiative, selectors.today()) // EVENT_PAGE_SIZE + 1
    page = Paginator(qs, EVENT_PAGE_SIZE).get_page(number)
    return tab_page(
        request, initiative, "events", "initiatives/events.html", {"events": page.object_list, "page": page}
    )


@login_required
def event_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    items = selectors.events(initiative)
    today = selectors.today()
    year, month = month_param(request.GET.get("month")) or timeline.default_month(items, today)
    return tab_page(
        request,
        initiative,
        "events",
        "initiatives/calendar.html",
        {"calendar": timeline.month_calendar(items, year, month, today), "weekdays": "월화수목금토일"},
    )


@login_required
def institutions(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    rows = selectors.institutions(initiative)
    won = [i for i in rows if i.state == InstitutionState.WON]
    return tab_page(
        request,
        initiative,
        "institutions",
        "initiatives/institutions.html",
        {
            "won": won,
            "targets_new": [i for i in rows if i not in won and i.type == "new"],
            "targets_relocation": [i for i in rows if i not in won and i.type == "relocation"],
            "count": len(rows) - len(won),
        },
    )


@login_required
def institution(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    obj = selectors.institution_for(initiative, item_id)
    return tab_page(request, initiative, "institutions", "initiatives/institution.html", {"institution": obj})


@login_required
def initiative_trends(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    page = Paginator(selectors.initiative_trend_list(initiative), TREND_PAGE_SIZE).get_page(request.GET.get("page"))
    return tab_page(
        request,
        initiative,
        "initiative_trends",
        "initiatives/initiative_trends.html",
        {
            "entries": page.object_list,
            "page": page,
            "can_manage_trends": trends.can(request.user, MANAGE),
        },
    )


@login_required
def documents(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    page = Paginator(selectors.document_list(initiative), DOCUMENT_PAGE_SIZE).get_page(request.GET.get("page"))
    return tab_page(
        request, initiative, "documents", "initiatives/documents.html", {"documents": page.object_list, "page": page}
    )


@login_required
def document_download(request: HttpRequest, pk: int, item_id: int) -> HttpResponseBase:
    initiative = get_initiative(request, pk)
    document = get_object_or_404(Document, initiative=initiative, pk=item_id)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("파일이 없습니다.")
    response = FileResponse(handle, as_attachment=True, filename=document.filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    initiative = get_initiative(request, pk)
    if fmt not in REPORT_FORMATS:
        raise Http404("지원하지 않는 형식입니다.")
    today = selectors.today()
    return report_response(
        reports.status_report(initiative, on=today), fmt, f"{initiative.name}_추진상황_{today:%Y%m%d}"
    )


# --- the trend log across initiatives -------------------------------------------------------------


@login_required
def trend_log(request: HttpRequest) -> HttpResponse:
    visible = list(selectors.visible_initiatives(request.user).order_by("name"))
    filters = TrendFilterForm(request.GET or None, tags=selectors.trend_tags(request.user), initiatives=visible)
    data = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.trend_list(
        request.user, tag=data.get("tag") or "", initiative_id=data.get("initiative"), query=data.get("q") or ""
    )
    page = Paginator(qs, TREND_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "initiatives/trends.html",
        {
            "page": page,
            "filters": filters,
            "query_string": query.urlencode(),
            "can_manage": trends.can(request.user, MANAGE),
            "breadcrumbs": crumbs(None, ("동향 기록", None)),
        },
    )

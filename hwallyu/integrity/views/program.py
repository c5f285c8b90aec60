"""The integrity index (종합청렴도), the year's scheme and the measures plan (청렴 시책)."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import json
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hwallyu.api.base import ServiceError
from hwallyu.core.documents import report_response
from hwallyu.integrity import reports
from hwallyu.integrity.forms import (
    ActivityForm,
    AuditorForm,
    BroadcastForm,
    GuideForm,
    IndexForm,
    MeasureForm,
    PlanForm,
    RelayForm,
    SchemeForm,
)
from hwallyu.integrity.models import Broadcast, CitizenAuditor, IntegrityIndex, Measure, MeasurePlan
from hwallyu.integrity.policies import EDIT, VIEW, program_policy
from hwallyu.integrity.selectors import index_rows, measure_plan, plan_years, scheme_for, target_view, trend_chart
from hwallyu.integrity.services import program as services
from hwallyu.org import selectors as org
from hwallyu.org.models import Role

MIN_YEAR, MAX_YEAR = 2000, 2100


def _year(value: Any, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404("연도가 올바르지 않습니다.")
    return year


def _this_year() -> int:
    return timezone.localdate().year


def _errors(request: HttpRequest, form: Any) -> None:
    messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))


# --- integrity index -------------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    program_policy.check(request.user, VIEW)
    rows = index_rows()
    latest = rows[-1].year if rows else _this_year() - 1
    target_year = _year(request.GET.get("target"), latest + 1)
    return render(
        request,
        "integrity/index.html",
        {
            "rows": rows,
            "chart": json.dumps(trend_chart(rows), ensure_ascii=False),
            "target": target_view(target_year, rows),
            "target_scheme": scheme_for(target_year),
            "can_edit": program_policy.can(request.user, EDIT),
            "next_year": latest + 1,
            "breadcrumbs": [("종합청렴도", None)],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def index_edit(request: HttpRequest, year: int) -> HttpResponse:
    program_policy.check(request.user, EDIT)
    year = _year(year, _this_year())
    record = IntegrityIndex.objects.filter(year=year).first() or IntegrityIndex(year=year)
    form = IndexForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            services.index_save(year=year, values=form.cleaned_data, actor=request.user)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{year}년 종합청렴도를 저장했습니다.")
            return redirect("integrity:index")
    return render(
        request,
        "integrity/form_page.html",
        {
            "form": form,
            "title": f"{year}년 종합청렴도 입력",
            "help": "공표된 결과를 입력합니다. 종합점수는 그 해 기준의 가중치로 계산합니다.",
            "breadcrumbs": [("종합청렴도", reverse("integrity:index")), (f"{year}년 입력", None)],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scheme(request: HttpRequest) -> HttpResponse:
    can_edit = program_policy.can(request.user, EDIT)
    program_policy.check(request.user, VIEW)
    year = _year(request.GET.get("year") or request.POST.get("year"), _this_year())
    current = scheme_for(year)
    form = SchemeForm(request.POST or None, instance=current)
    if request.method == "POST":
        program_policy.check(request.user, EDIT)
        if form.is_valid():
            try:
                services.scheme_save(year=year, values=form.cleaned_data, actor=request.user)
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"{year}년 청렴 기준을 저장했습니다.")
                return redirect(f"{reverse('integrity:scheme')}?year={year}")
    return render(
        request,
        "integrity/scheme.html",
        {
            "form": form,
            "year": year,
            "saved": current.pk is not None,
            "can_edit": can_edit,
            "breadcrumbs": [("청렴 기준 설정", None)],
        },
    )


# --- measures ----------------------------------------------------------------------------------------


def _owners() -> Any:
    ids = [u.pk for u in org.users_with_role(Role.AUDIT, Role.PLANNING)]
    return get_user_model().objects.filter(pk__in=ids).order_by("username")


def _plan_or_404(year: int) -> MeasurePlan:
    return get_object_or_404(MeasurePlan, year=year)


@login_required
@require_GET
def measures(request: HttpRequest, year: int | None = None) -> HttpResponse:
    program_policy.check(request.user, VIEW)
    if year is None:
        years = plan_years()
        year = _this_year() if (not years or _this_year() in years) else years[0]
    year = _year(year, _this_year())
    plan = measure_plan(year)
    can_edit = program_policy.can(request.user, EDIT)
    auditors = CitizenAuditor.objects.prefetch_related("activities")
    return render(
        request,
        "integrity/measures.html",
        {
            "year": year,
            "plan": plan,
            "years": sorted({*plan_years(), year}, reverse=True),
            "auditors": auditors,
            "can_edit": can_edit,
            "plan_form": PlanForm(initial={"survey_url": plan.survey_url, "note": plan.note} if plan else None),
            "measure_form": MeasureForm(owners=_owners()),
            "broadcast_form": BroadcastForm(),
            "relay_form": RelayForm(initial={"start": dt.date(year, 1, 1)}),
            "auditor_form": AuditorForm(),
            "activity_form": ActivityForm(),
            "guide_form": GuideForm(),
            "breadcrumbs": [("청렴 시책", None), (f"{year}년", None)],
        },
    )


def _edit_post(request: HttpRequest, year: int, form: Any, handle: Any, success: str, anchor: str) -> HttpResponse:
    program_policy.check(request.user, EDIT)
    if not form.is_valid():
        _errors(request, form)
    else:
        try:
            handle(form.cleaned_data)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, success)
    return redirect(f"{reverse('integrity:measures_year', args=[year])}#{anchor}")


@login_required
@require_POST
def plan_save(request: HttpRequest, year: int) -> HttpResponse:
    year = _year(year, _this_year())
    program_policy.check(request.user, EDIT)

    def handle(data: dict[str, Any]) -> None:
        plan = services.plan_get_or_create(year=year, actor=request.user)
        services.plan_update(plan=plan, survey_url=data["survey_url"], note=data["note"], actor=request.user)

    return _edit_post(request, year, PlanForm(request.POST), handle, "시책 계획을 저장했습니다.", "plan")


@login_required
@require_POST
def measure_add(request: HttpRequest, year: int) -> HttpResponse:
    year = _year(year, _this_year())

    def handle(data: dict[str, Any]) -> None:
        plan = services.plan_get_or_create(year=year, actor=request.user)
        services.measure_save(plan=plan, values=data, actor=request.user)

    return _edit_post(
        request, year, MeasureForm(request.POST, owners=_owners()), handle, "시책을 추가했습니다.", "measures"
    )


@login_required
@require_POST
def measure_edit(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    year = _year(year, _this_year())
    measure = get_object_or_404(Measure, plan__year=year, pk=pk)
    form = MeasureForm(request.POST, instance=measure, owners=_owners())
    return _edit_post(
        request,
        year,
        form,
        lambda data: services.measure_save(plan=measure.plan, values=data, actor=request.user, measure=measure),
        "시책을 저장했습니다.",
        "measures",
    )


@login_required
@require_POST
def broadcast_add(request: HttpRequest, year: int) -> HttpResponse:
    year = _year(year, _this_year())

    def handle(data: dict[str, Any]) -> None:
        plan = services.plan_get_or_create(year=year, actor=request.user)
        services.broadcast_save(plan=plan, values=data, actor=request.user)

    return _edit_post(request, year, BroadcastForm(request.POST), handle, "청렴 방송을 추가했습니다.", "broadcasts")


@login_required
@require_POST
def broadcast_done(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    year = _year(year, _this_year())
    item = get_object_or_404(Broadcast, plan__year=year, pk=pk)
    program_policy.check(request.user, EDIT)
    try:
        services.broadcast_save(
            plan=item.plan,
            values={"on_date": item.on_date, "done": True, "record": request.POST.get("record", "")[:300]},
            actor=request.user,
            broadcast=item,
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "방송 완료로 기록했습니다.")
    return redirect(f"{reverse('integrity:measures_year', args=[year])}#broadcasts")


@login_required
@require_POST
def broadcast_relay(request: HttpRequest, year: int) -> HttpResponse:
    year = _year(year, _this_year())

    def handle(data: dict[str, Any]) -> None:
        plan = services.plan_get_or_create(year=year, actor=request.user)
        services.broadcast_relay_plan(
            plan=plan, start=data["start"], speakers=data["speakers"], weekday=int(data["weekday"]), actor=request.user
        )

    return _edit_post(
        request, year, RelayForm(request.POST), handle, "주 1회 릴레이 방송 일정을 만들었습니다.", "broadcasts"
    )


@login_required
@require_POST
def auditor_add(request: HttpRequest, year: int) -> HttpResponse:
    year = _year(year, _this_year())
    return _edit_post(
        request,
        year,
        AuditorForm(request.POST),
        lambda data: services.auditor_save(values=data, actor=request.user),
        "시민감사관을 등록했습니다.",
        "auditors",
    )


@login_required
@require_POST
def activity_add(request: HttpRequest, year: int) -> HttpResponse:
    year = _year(year, _this_year())
    return _edit_post(
        request,
        year,
        ActivityForm(request.POST),
        lambda data: services.auditor_activity_add(auditor=data["auditor"], values=data, actor=request.user),
        "활동을 기록했습니다.",
        "auditors",
    )


@login_required
@require_POST
def guide_add(request: HttpRequest, year: int) -> HttpResponse:
    year = _year(year, _this_year())

    def handle(data: dict[str, Any]) -> None:
        plan = services.plan_get_or_create(year=year, actor=request.user)
        services.guide_distribution_add(plan=plan, values=data, actor=request.user)

    return _edit_post(request, year, GuideForm(request.POST), handle, "청렴길라잡이 배부를 기록했습니다.", "guide")


@login_required
@require_GET
def measures_calendar(request: HttpRequest, year: int) -> HttpResponse:
    program_policy.check(request.user, VIEW)
    year = _year(year, _this_year())
    try:
        month = int(request.GET.get("month") or (timezone.localdate().month if year == _this_year() else 1))
    except ValueError:
        month = 1
    month = min(max(month, 1), 12)
    events = _month_events(year, month)
    weeks = []
    for week in pycalendar.Calendar(firstweekday=6).monthdatescalendar(year, month):
        weeks.append([{"date": d, "in_month": d.month == month, "events": events.get(d, [])} for d in week])
    return render(
        request,
        "integrity/calendar.html",
        {
            "year": year,
            "month": month,
            "weeks": weeks,
            "prev": month - 1 if month > 1 else None,
            "next": month + 1 if month < 12 else None,
            "weekdays": ["일", "월", "화", "수", "목", "금", "토"],
            "event_count": sum(len(v) for v in events.values()),
            "breadcrumbs": [
                ("청렴 시책", reverse("integrity:measures_year", args=[year])),
                (f"{year}년 {month}월 일정", None),
            ],
        },
    )


def _month_events(year: int, month: int) -> dict[dt.date, list[dict[str, str]]]:
    first = dt.date(year, month, 1)
    last = dt.date(year, month, pycalendar.monthrange(year, month)[1])
    events: dict[dt.date, list[dict[str, str]]] = defaultdict(list)
    plan = MeasurePlan.objects.filter(year=year).first()
    if plan is not None:
        for b in plan.broadcasts.filter(on_date__range=(first, last)):
            events[b.on_date].append(
                {"kind": "방송", "text": f"{b.speaker_title} {b.speaker_name}", "done": "1" if b.done else ""}
            )
        for g in plan.guide_distributions.filter(on_date__range=(first, last)):
            events[g.on_date].append({"kind": "길라잡이", "text": g.recipients, "done": ""})
        for m in plan.measures.filter(starts_on__lte=last, ends_on__gte=first):
            if first <= m.starts_on <= last:
                events[m.starts_on].append({"kind": "시책 시작", "text": m.title, "done": ""})
            if first <= m.ends_on <= last:
                events[m.ends_on].append(
                    {"kind": "시책 종료", "text": m.title, "done": "1" if m.status == "done" else ""}
                )
    from hwallyu.integrity.models import AuditorActivity

    for a in AuditorActivity.objects.filter(on_date__range=(first, last)).select_related("auditor"):
        events[a.on_date].append({"kind": "시민감사관", "text": f"{a.auditor.name} {a.kind}", "done": "1"})
    return events


@login_required
@require_GET
def measures_report(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    program_policy.check(request.user, VIEW)
    year = _year(year, _this_year())
    if fmt not in ("hwpx", "xlsx"):
        raise Http404("지원하지 않는 형식입니다.")
    report = reports.year_report(year)
    return report_response(report, fmt, f"{year}년 청렴 시책 추진 현황")

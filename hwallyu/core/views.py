from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from hwallyu.core import selectors, services
from hwallyu.core.calendar import CalendarError
from hwallyu.core.documents import report_response
from hwallyu.core.forms import AuditFilterForm, ClosureForm, DeadlineForm, WorkingHoursForm
from hwallyu.core.navigation import dashboard_block, dashboard_blocks
from hwallyu.core.paging import CappedPaginator
from hwallyu.core.policies import MANAGE, VIEW, audit_policy, calendar_policy
from hwallyu.org import selectors as org


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard shell: one loading block per module the user may see; each loads its own cards."""
    return render(request, "core/home.html", {"blocks": dashboard_blocks(request.user)})


@login_required
@require_GET
def dashboard_block_view(request: HttpRequest, key: str) -> HttpResponse:
    """One module's cards: the fragment htmx swaps into the dashboard, or a page of its own without JS.

    The block's own permission decides (403 for a user it is not visible to); a block with nothing
    to show answers an empty fragment, which removes its loading block from the dashboard."""
    block = dashboard_block(key)
    if block is None:
        raise Http404("알 수 없는 업무 현황입니다.")
    if not block.visible(request.user):
        raise PermissionDenied
    context = {"dash": block, "cards": block.cards(request.user)}
    if getattr(request, "htmx", False):
        # Loaded by the dashboard page, not by the user: like the bell's poll, it does not push the
        # idle-session timeout forward (the page itself did), so a dozen blocks never write the session.
        request.background_poll = True  # type: ignore[attr-defined]
        response = render(request, "core/dashboard_block.html#block", context)
        response["X-Hwallyu-Fragment"] = "dashboard-block"  # app.js swaps only this answer into the page
        add_never_cache_headers(response)
    else:
        context["breadcrumbs"] = [(f"{block.title} 현황", None)]
        response = render(request, "core/dashboard_block.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    body: str
    try:
        body = loader.render_to_string(
            "error.html", {"status": status, "title": title, "message": message}, request=request
        )
    except Exception:  # noqa: BLE001 - an error page must render even when the shell cannot
        try:  # the same KRDS page without the request: no database lookups for menu, city or bell
            body = loader.render_to_string(
                "error.html", {"status": status, "title": title, "message": message, "city_name": ""}
            )
        except Exception:  # noqa: BLE001
            body = f"<!DOCTYPE html><html lang='ko-KR'><title>{title}</title><h1>{title}</h1><p>{message}</p></html>"
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "잘못된 요청입니다", "요청을 처리할 수 없습니다. 입력한 내용을 확인해 주세요.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request, 403, "권한이 없습니다", "이 화면이나 작업을 사용할 권한이 없습니다. 필요하면 기획감사실에 문의하세요."
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "페이지를 찾을 수 없습니다", "주소가 바뀌었거나 열람 권한이 없는 항목입니다.")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        "일시적인 오류가 발생했습니다",
        "잠시 후 다시 시도해 주세요. 문제가 계속되면 시스템 관리자에게 알려 주세요.",
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        "요청이 만료되었습니다",
        "보안 토큰이 만료되었거나 올바르지 않습니다. 페이지를 새로고침한 뒤 다시 시도해 주세요.",
    )


# --- audit trail --------------------------------------------------------------------
AUDIT_PAGE_SIZE = 30
# The pages reach as far back as the download does; older rows are found by narrowing the search.
AUDIT_PAGED_ROWS = selectors.AUDIT_EXPORT_LIMIT


def _audit_form(request: HttpRequest) -> AuditFilterForm:
    choices = selectors.audit_choices()
    return AuditFilterForm(
        request.GET or None,
        departments=list(org.departments().values_list("pk", "name")),
        actions=choices.actions,
        target_types=choices.target_types,
    )


def _query_without_page(request: HttpRequest) -> str:
    return urlencode([(k, v) for k, values in request.GET.lists() if k != "page" for v in values if v != ""])


def _render_audit(request: HttpRequest, form: AuditFilterForm) -> HttpResponse:
    valid = form.is_valid() if form.is_bound else True
    flt = form.to_filter() if form.is_bound and valid else selectors.AuditFilter()
    events = selectors.audit_events(request.user, flt) if valid else selectors.audit_events(request.user).none()
    page = CappedPaginator(events, AUDIT_PAGE_SIZE, limit=AUDIT_PAGED_ROWS).get_page(request.GET.get("page"))
    query_string = _query_without_page(request)
    return render(
        request,
        "core/audit.html",
        {
            "form": form,
            "filter_valid": valid,
            "page": page,
            "query_string": query_string,
            "export_url": reverse("core:audit_export") + (f"?{query_string}" if query_string else ""),
            "breadcrumbs": [("감사 기록", None)],
        },
    )


@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    audit_policy.check(request.user, VIEW)
    return _render_audit(request, _audit_form(request))


@login_required
@require_GET
def audit_export(request: HttpRequest) -> HttpResponse:
    audit_policy.check(request.user, VIEW)
    form = _audit_form(request)
    if form.is_bound and not form.is_valid():
        return _render_audit(request, form)
    flt = form.to_filter() if form.is_bound else selectors.AuditFilter()
    today = timezone.localdate()
    report = selectors.audit_report(request.user, flt, today=today)
    return report_response(report, "xlsx", f"감사기록_{today:%Y%m%d}")


# --- calendar -----------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "") or request.POST.get("date", "")[:4]
    today = timezone.localdate()
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else today.year


def _deadline_context(form: DeadlineForm) -> dict[str, Any]:
    result = error = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            result = selectors.deadline(
                data["start"], days=data.get("days"), same_day=data["mode"] == DeadlineForm.MODE_SAME_DAY
            )
        except CalendarError as exc:
            error = str(exc)
    return {"deadline_form": form, "deadline": result, "deadline_error": error}


def _deadline_form(request: HttpRequest) -> DeadlineForm:
    bound = "start" in request.GET
    return DeadlineForm(request.GET if bound else None, initial={"mode": DeadlineForm.MODE_DAYS, "days": 3})


def _render_calendar(
    request: HttpRequest,
    *,
    closure_form: ClosureForm | None = None,
    hours_form: WorkingHoursForm | None = None,
) -> HttpResponse:
    year = _year(request)
    can_manage = calendar_policy.can(request.user, MANAGE)
    settings_row = selectors.calendar_settings()
    context: dict[str, Any] = {
        "year": year,
        "years": [year - 1, year + 1],
        "holidays": selectors.public_holidays(year),
        "closures": list(selectors.closures(year)),
        "settings": settings_row,
        "hours_per_day": selectors.hours_per_day(settings_row),
        "can_manage": can_manage,
        "breadcrumbs": [("업무일·휴무일", None)],
        **_deadline_context(_deadline_form(request)),
    }
    if can_manage:
        context["closure_form"] = closure_form or ClosureForm()
        context["hours_form"] = hours_form or WorkingHoursForm.for_settings(settings_row)
    return render(request, "core/calendar.html", context)


@login_required
@require_GET
def calendar_page(request: HttpRequest) -> HttpResponse:
    calendar_policy.check(request.user, VIEW)
    return _render_calendar(request)


@login_required
@require_GET
def calendar_deadline(request: HttpRequest) -> HttpResponse:
    """The deadline calculator's result: a fragment for htmx, else the whole page."""
    calendar_policy.check(request.user, VIEW)
    if not getattr(request, "htmx", False):
        return redirect(f"{reverse('core:calendar')}?{request.GET.urlencode()}#deadline")
    return render(request, "core/calendar.html#deadline-result", _deadline_context(_deadline_form(request)))


def _form_errors_into(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@login_required
@require_POST
def closure_add(request: HttpRequest) -> HttpResponse:
    calendar_policy.check(request.user, MANAGE)
    form = ClosureForm(request.POST)
    if form.is_valid():
        try:
            closure = services.closure_add(
                date=form.cleaned_data["date"], name=form.cleaned_data["name"], actor=request.user
            )
        except ValidationError as exc:
            _form_errors_into(form, exc)
        else:
            messages.success(request, f"{closure.date:%Y-%m-%d} 휴무일({closure.name})을 추가했습니다.")
            return redirect(f"{reverse('core:calendar')}?year={closure.date.year}")
    return _render_calendar(request, closure_form=form)


@login_required
@require_POST
def closure_remove(request: HttpRequest, closure_id: int) -> HttpResponse:
    calendar_policy.check(request.user, MANAGE)
    closure = calendar_policy.get_visible_or_404(request.user, pk=closure_id)
    try:
        services.closure_remove(closure=closure, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{closure.date:%Y-%m-%d} 휴무일({closure.name})을 삭제했습니다.")
    return redirect(f"{reverse('core:calendar')}?year={closure.date.year}")


@login_required
@require_POST
def working_hours(request: HttpRequest) -> HttpResponse:
    calendar_policy.check(request.user, MANAGE)
    form = WorkingHoursForm(request.POST)
    if form.is_valid():
        try:
            services.working_hours_update(**form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            _form_errors_into(form, exc)
        else:
            messages.success(request, "근무시간을 저장했습니다. 이후 계산하는 기한부터 적용됩니다.")
            return redirect("core:calendar")
    return _render_calendar(request, hours_form=form)

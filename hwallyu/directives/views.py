"""Pages of the directives module: thin views that resolve through the policy and call a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from hwallyu.api.base import ServiceError
from hwallyu.core.documents import report_response
from hwallyu.core.navigation import Card
from hwallyu.directives import reviews, selectors, services
from hwallyu.directives.bulk import parse_lines
from hwallyu.directives.forms import (
    BulkForm,
    CloseRequestForm,
    DecisionForm,
    DirectiveForm,
    ExtensionDecisionForm,
    ExtensionForm,
    ListFilterForm,
    ReportForm,
    ReviewApproveForm,
    SchemeForm,
)
from hwallyu.directives.models import (
    Directive,
    ExtensionRequest,
    ReportAttachment,
    ReportKind,
    RequestStatus,
    State,
)
from hwallyu.directives.policies import DEPARTMENT_ROLES, directive_policy, is_office_user
from hwallyu.org.selectors import department_of, departments, role_of

PAGE_SIZE = 30
LIST_CRUMB = ("지시사항", "directives:list")


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(label, reverse(url) if url and ":" in url else url) for label, url in items]


def _query_string(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- lists -----------------------------------------------------------------------------------------


def _filters(form: ListFilterForm) -> selectors.ListFilters:
    if not form.is_valid():
        return selectors.ListFilters()
    data = form.cleaned_data
    return selectors.ListFilters(
        year=data.get("year"),
        quarter=data.get("quarter"),
        department=data.get("department") or "",
        state=data.get("state") or "",
        overdue=bool(data.get("overdue")),
        q=data.get("q") or "",
    )


@login_required
def directive_list(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) is None:
        raise PermissionDenied
    form = ListFilterForm(
        request.GET or None,
        years=selectors.year_choices(),
        department_choices=list(departments(active_only=True).values_list("code", "name")),
    )
    now = timezone.now()
    qs = selectors.directive_list(request.user, _filters(form), now=now)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "now": now,
        "query_string": _query_string(request),
        "can_register": directive_policy.can(request.user, "register"),
        "breadcrumbs": _crumbs(("지시사항", None), ("목록", None)),
    }
    partial = request.headers.get("HX-Request") == "true"
    template = "directives/list.html#results" if partial else "directives/list.html"
    return render(request, template, context)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) not in DEPARTMENT_ROLES:
        raise PermissionDenied
    department = department_of(request.user)
    page = Paginator(selectors.department_inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    for directive in page.object_list:
        own = directive.own_assignments[0] if directive.own_assignments else None
        directive.own = own  # type: ignore[attr-defined]
    return render(
        request,
        "directives/inbox.html",
        {
            "page": page,
            "department": department,
            "now": timezone.now(),
            "query_string": _query_string(request),
            "counts": selectors.dashboard_counts(request.user),
            "breadcrumbs": _crumbs(LIST_CRUMB, ("우리 부서 지시사항", None)),
        },
    )


# --- one directive -----------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, directive: Directive, **forms: Any) -> dict[str, Any]:
    user = request.user
    department = department_of(user)
    can = directive_policy.can
    own = next((a for a in directive.assignments.all() if department and a.department_id == department.pk), None)
    is_open = directive.shared_at is not None and directive.state not in (
        State.COMPLETED,
        State.LONG_TERM,
        State.INFEASIBLE,
        State.TRANSFERRED,
    )
    pending_close = next((r for r in directive.close_requests.all() if r.status == RequestStatus.PENDING), None)
    pending_extension = next((r for r in directive.extensions.all() if r.status == RequestStatus.PENDING), None)
    report_kinds: list[str] = []
    if is_open:
        if can(user, "report", directive):
            report_kinds = (
                [ReportKind.PROGRESS, ReportKind.RESULT] if directive.first_reported_at else [ReportKind.FIRST]
            )
        elif can(user, "report_progress", directive) and directive.first_reported_at:
            report_kinds = [ReportKind.PROGRESS]
    extension_step = services.extension_step_of(directive)
    context = {
        "directive": directive,
        "now": timezone.now(),
        "own": own,
        "is_open": is_open,
        "pending_close": pending_close,
        "pending_extension": pending_extension,
        "can_share": directive.state == State.REGISTERED and can(user, "share", directive),
        "can_acknowledge": is_open and own is not None and own.acknowledged_at is None,
        "report_form": forms.get("report_form") or (ReportForm(kinds=report_kinds) if report_kinds else None),
        "close_form": forms.get("close_form")
        or (
            CloseRequestForm()
            if is_open
            and directive.first_reported_at
            and pending_close is None
            and can(user, "close_request", directive)
            else None
        ),
        "can_decide": is_office_user(user),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "extension_decision_form": forms.get("extension_decision_form") or ExtensionDecisionForm(),
        "extension_form": forms.get("extension_form")
        or (
            ExtensionForm()
            if is_open and extension_step and pending_extension is None and can(user, "extension_request", directive)
            else None
        ),
        "extension_step": extension_step,
        "review_origin": selectors.review_origin(directive.number),
        "breadcrumbs": _crumbs(LIST_CRUMB, (directive.number, None)),
    }
    return context


@login_required
def directive_detail(request: HttpRequest, number: str) -> HttpResponse:
    directive = selectors.directive_detail(request.user, number)
    return render(request, "directives/detail.html", _detail_context(request, directive))


def _act(
    request: HttpRequest,
    number: str,
    run: Callable[[Directive, dict[str, Any]], Any],
    success: str,
    form_class: type | None = None,
    form_key: str = "",
) -> HttpResponse:
    """Resolve the directive (404 outside scope), validate the form, call one service, redirect."""
    directive = selectors.directive_for_action(request.user, number)
    form = form_class(request.POST, request.FILES) if form_class else None
    if form is not None and not form.is_valid():
        detail = selectors.directive_detail(request.user, number)
        return render(request, "directives/detail.html", _detail_context(request, detail, **{form_key: form}))
    try:
        run(directive, form.cleaned_data if form is not None else {})
    except ServiceError as exc:
        if form is not None:
            form.add_error(None, exc.message)
            detail = selectors.directive_detail(request.user, number)
            return render(request, "directives/detail.html", _detail_context(request, detail, **{form_key: form}))
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("directives:detail", number=number)


@login_required
@require_POST
def share(request: HttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        lambda d, _: services.directive_share(directive=d, actor=request.user),
        "부서에 공유했습니다.",
    )


@login_required
@require_POST
def acknowledge(request: HttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        lambda d, _: services.directive_acknowledge(directive=d, actor=request.user),
        "접수를 확인했습니다.",
    )


@login_required
@require_POST
def report(request: HttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        lambda d, data: services.directive_report(
            directive=d, actor=request.user, kind=data["kind"], body=data["body"], files=data["attachments"]
        ),
        "보고를 제출했습니다.",
        ReportForm,
        "report_form",
    )


@login_required
@require_POST
def close_request(request: HttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        lambda d, data: services.directive_close_request(
            directive=d,
            actor=request.user,
            final_state=data["final_state"],
            reason=data["reason"],
            transfer_to=data["transfer_to"],
        ),
        "종결을 요청했습니다. 기획감사실이 승인하면 종결됩니다.",
        CloseRequestForm,
        "close_form",
    )


@login_required
@require_POST
def close_approve(request: HttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        lambda d, data: services.directive_close_approve(directive=d, actor=request.user, comment=data["comment"]),
        "종결을 승인했습니다.",
        DecisionForm,
        "decision_form",
    )


@login_required
@require_POST
def close_return(request: HttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        lambda d, data: services.directive_close_return(directive=d, actor=request.user, comment=data["comment"]),
        "종결 요청을 반려했습니다.",
        DecisionForm,
        "decision_form",
    )


@login_required
@require_POST
def extension_request(request: HttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        lambda d, data: services.directive_extension_request(
            directive=d, actor=request.user, days=data["days"], reason=data["reason"]
        ),
        "기한 연장을 요청했습니다.",
        ExtensionForm,
        "extension_form",
    )


def _extension(directive: Directive, extension_id: int) -> ExtensionRequest:
    extension = (
        ExtensionRequest.objects.filter(pk=extension_id, directive=directive).select_related("directive").first()
    )
    if extension is None:
        raise Http404("찾을 수 없습니다.")
    return extension


@login_required
@require_POST
def extension_approve(request: HttpRequest, number: str, extension_id: int) -> HttpResponse:
    return _act(
        request,
        number,
        lambda d, data: services.extension_approve(
            extension=_extension(d, extension_id), actor=request.user, comment=data["comment"]
        ),
        "기한 연장을 승인했습니다. 새 기한으로 다시 계산했습니다.",
        ExtensionDecisionForm,
        "extension_decision_form",
    )


@login_required
@require_POST
def extension_return(request: HttpRequest, number: str, extension_id: int) -> HttpResponse:
    return _act(
        request,
        number,
        lambda d, data: services.extension_return(
            extension=_extension(d, extension_id), actor=request.user, comment=data["comment"]
        ),
        "기한 연장 요청을 반려했습니다.",
        ExtensionDecisionForm,
        "extension_decision_form",
    )


@login_required
def attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    item = ReportAttachment.objects.select_related("report__directive").filter(pk=attachment_id).first()
    if item is None:
        raise Http404("찾을 수 없습니다.")
    directive_policy.get_visible_or_404(request.user, pk=item.report.directive_id)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("파일을 찾을 수 없습니다.") from exc
    return FileResponse(handle, as_attachment=True, filename=item.name)


# --- registration ------------------------------------------------------------------------------------


def _scheme_now() -> Any:
    return services.scheme_for_year(timezone.localdate().year)


@login_required
def create(request: HttpRequest) -> HttpResponse:
    directive_policy.check(request.user, "register")
    scheme = _scheme_now()
    form = DirectiveForm(request.POST or None, scheme=scheme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            directive = services.directive_register(
                data=services.DirectiveInput(
                    title=data["title"],
                    content=data["content"],
                    given_at=data["given_at"],
                    source=data["source"],
                    given_by=data["given_by"],
                    kind=data["kind"],
                    lead_department=data["lead_department"],
                    support_departments=list(data["support_departments"]),
                    deadline_class=data["deadline_class"],
                    result_due_on=data["result_due_on"],
                ),
                actor=request.user,
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{directive.number} 지시사항을 등록했습니다. 오늘 중에 부서에 공유하세요.")
            return redirect("directives:detail", number=directive.number)
    return render(
        request,
        "directives/form.html",
        {"form": form, "scheme": scheme, "breadcrumbs": _crumbs(LIST_CRUMB, ("등록", None))},
    )


@login_required
def bulk(request: HttpRequest) -> HttpResponse:
    directive_policy.check(request.user, "register")
    scheme = _scheme_now()
    form = BulkForm(request.POST or None, scheme=scheme)
    rows = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rows = parse_lines(data["lines"])
        if not rows:
            form.add_error("lines", "등록할 지시사항이 없습니다.")
        elif data["confirm"] and all(r.ok for r in rows):
            items = [
                services.DirectiveInput(
                    title=r.title,
                    given_at=data["given_at"],
                    source=data["source"],
                    given_by=data["given_by"],
                    kind=data["kind"],
                    lead_department=r.lead,  # type: ignore[arg-type]
                    support_departments=r.supports,
                    deadline_class=data["deadline_class"],
                )
                for r in rows
            ]
            try:
                created = services.directive_register_many(items=items, actor=request.user, share_now=data["share_now"])
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                shared = " 부서에 공유까지 마쳤습니다." if data["share_now"] else " 오늘 중에 부서에 공유하세요."
                messages.success(
                    request, f"{len(created)}건을 등록했습니다({created[0].number} ~ {created[-1].number}).{shared}"
                )
                year = created[0].year
                return redirect(f"{reverse('directives:list')}?{urlencode({'year': year, 'q': ''})}")
    return render(
        request,
        "directives/bulk.html",
        {
            "form": form,
            "rows": rows,
            "all_ok": bool(rows) and all(r.ok for r in rows or []),
            "breadcrumbs": _crumbs(LIST_CRUMB, ("회의 일괄 등록", None)),
        },
    )


@login_required
def scheme(request: HttpRequest) -> HttpResponse:
    directive_policy.check(request.user, "scheme_edit")
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), 2100)
    current = services.scheme_for_year(year)
    form = SchemeForm(request.POST or None, initial=SchemeForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        try:
            services.scheme_update(
                year=year,
                deadline_classes=form.cleaned_data["deadline_classes"],
                sources=form.cleaned_data["sources"],
                givers=form.cleaned_data["givers"],
                actor=request.user,
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{year}년 지시사항 기준을 저장했습니다.")
            return redirect(f"{reverse('directives:scheme')}?year={year}")
    return render(
        request,
        "directives/scheme.html",
        {
            "form": form,
            "year": year,
            "scheme": current,
            "years": [year - 1, year, year + 1],
            "breadcrumbs": _crumbs(LIST_CRUMB, ("기준 설정", None)),
        },
    )


# --- quarterly review --------------------------------------------------------------------------------


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    directive_policy.check(request.user, "review_view")
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    # The frozen figures are not shown here; each snapshot holds the year's item lists (about a megabyte).
    existing = {r.quarter: r for r in reviews.QuarterlyReview.objects.filter(year=year).defer("snapshot")}
    now = timezone.now()
    quarters = [
        {"quarter": q, "review": existing.get(q), "ended": now >= reviews.quarter_end(year, q)} for q in range(1, 5)
    ]
    return render(
        request,
        "directives/review_list.html",
        {
            "year": year,
            "years": selectors.year_choices(),
            "quarters": quarters,
            "breadcrumbs": _crumbs(LIST_CRUMB, ("분기별 점검", None)),
        },
    )


def _review_args(year: int, quarter: int) -> None:
    try:
        reviews.validate_quarter(year, quarter)
    except ServiceError as exc:
        raise Http404(exc.message) from exc


def _item_page(request: HttpRequest, items: Any, param: str) -> dict[str, Any]:
    """One page of a review's item list, paged by the query parameter ``param`` (the page has two lists)."""
    params = request.GET.copy()
    params.pop(param, None)
    return {
        "page": Paginator(items, PAGE_SIZE).get_page(request.GET.get(param)),
        "param": param,
        "query_string": params.urlencode(),
    }


@login_required
def review_detail(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    directive_policy.check(request.user, "review_view")
    _review_args(year, quarter)
    form = ReviewApproveForm(request.POST or None)
    if request.method == "POST":
        directive_policy.check(request.user, "review_approve")
        if form.is_valid():
            try:
                reviews.review_approve(year=year, quarter=quarter, actor=request.user, note=form.cleaned_data["note"])
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"{year}년 {quarter}분기 점검을 승인했습니다. 수치가 확정되었습니다.")
                return redirect("directives:review", year=year, quarter=quarter)
    review, data = reviews.review_data(year, quarter, paged_items=True)
    now = timezone.now()
    return render(
        request,
        "directives/review.html",
        {
            "review": review,
            "data": data,
            # The item lists run to thousands in a large city: a page at a time here, all of them in the report.
            "open_page": _item_page(request, data["open_items"], "open_page"),
            "late_page": _item_page(request, data["late_items"], "late_page"),
            "form": form,
            "can_approve": directive_policy.can(request.user, "review_approve")
            and not (review and review.is_frozen)
            and now >= reviews.quarter_end(year, quarter),
            "breadcrumbs": [
                ("지시사항", reverse("directives:list")),
                ("분기별 점검", f"{reverse('directives:reviews')}?year={year}"),
                (f"{year}년 {quarter}분기", None),
            ],
        },
    )


@login_required
def review_download(request: HttpRequest, year: int, quarter: int, fmt: str) -> HttpResponse:
    directive_policy.check(request.user, "review_view")
    _review_args(year, quarter)
    if fmt not in ("hwpx", "xlsx"):
        raise Http404("지원하지 않는 문서 형식입니다.")
    review, data = reviews.review_data(year, quarter)
    report = reviews.summary_report(data, review)
    return report_response(report, fmt, f"{year}년_{quarter}분기_지시사항_총괄보고")


# --- home dashboard ------------------------------------------------------------------------------------


def dashboard_cards(user: Any) -> list[Card]:
    role = role_of(user)
    if role is None:
        return []
    counts = selectors.dashboard_counts(user)
    department_user = role in DEPARTMENT_ROLES
    base = reverse("directives:inbox") if department_user else reverse("directives:list")
    prefix = "우리 부서 " if department_user else ""
    list_url = reverse("directives:list")
    return [
        Card(f"{prefix}미종결 지시사항", counts["open"], f"{list_url}?state=open" if not department_user else base),
        Card(
            f"{prefix}기한 경과",
            counts["overdue"],
            f"{list_url}?overdue=on",
            note="기한이 지났는데 공유·보고가 없는 건",
            tone="danger" if counts["overdue"] else "",
        ),
        Card(
            "오늘 기한",
            counts["due_today"],
            base,
            note="오늘까지 공유·보고할 건",
            tone="warning" if counts["due_today"] else "",
        ),
    ]

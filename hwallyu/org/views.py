"""Organisation pages (/org/): departments, teams, people, bureaus, evaluation groups, the city, import."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hwallyu.core.documents import report_response
from hwallyu.org import forms, importers, selectors, services
from hwallyu.org.exports import department_report
from hwallyu.org.models import Bureau, Department, EvaluationGroup, Role, Team
from hwallyu.org.policies import ASSIGN_ADMIN, MANAGE, VIEW_PEOPLE, org_policy

ORG = ("조직 관리", None)


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [ORG, *items]


def _departments_crumb() -> tuple[str, str]:
    return ("부서", reverse("org:departments"))


def _htmx(request: HttpRequest) -> Any:
    """django-htmx's request details (falsy when the request did not come from htmx)."""
    return getattr(request, "htmx", None)


def _get_or_404(qs: Any, **lookup: Any) -> Any:
    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("찾을 수 없습니다.") from exc


# --- departments ----------------------------------------------------------------------------


@login_required
def department_list(request: HttpRequest) -> HttpResponse:
    filter_form = forms.DepartmentFilterForm(request.GET)
    filters = filter_form.filters()
    without_kind = {**filters, "kind": ""}
    departments = org_policy.scope(request.user, selectors.department_list(**filters))
    counts = selectors.department_counts_by_kind(
        org_policy.scope(request.user, selectors.department_list(**without_kind))
    )
    query = request.GET.copy()
    query.pop("kind", None)
    context = {
        "filter_form": filter_form,
        "departments": departments,
        "kind_counts": counts,
        "kind_base_query": query.urlencode(),
        "filter_query": request.GET.urlencode(),
        "selected_kind": filters["kind"],
        "can_manage": org_policy.can(request.user, MANAGE),
        "breadcrumbs": _crumbs(("부서", None)),
    }
    template = "org/department_list.html"
    if _htmx(request) and _htmx(request).target == "dept-results":
        template += "#results"
    return render(request, template, context)


@login_required
def department_create(request: HttpRequest) -> HttpResponse:
    org_policy.check(request.user, MANAGE)
    form = forms.DepartmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            department = services.department_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        else:
            messages.success(request, f"'{department.name}' 부서를 등록했습니다.")
            return redirect("org:department", pk=department.pk)
    return render(
        request,
        "org/department_form.html",
        {"form": form, "title": "부서 등록", "breadcrumbs": _crumbs(_departments_crumb(), ("부서 등록", None))},
    )


def _department_context(request: HttpRequest, department: Department, team_form: Any = None) -> dict[str, Any]:
    can_see_people = org_policy.can(request.user, VIEW_PEOPLE, department)
    people = (
        org_policy.people_scope(request.user, selectors.people(department)).order_by(
            "-user__is_active", "team__order", "user__first_name"
        )
        if can_see_people
        else None
    )
    return {
        "department": department,
        "teams": selectors.department_teams(department),
        "people": people,
        "can_see_people": can_see_people,
        "can_manage": org_policy.can(request.user, MANAGE, department),
        "in_use": services.department_in_use(department),
        "team_form": team_form or forms.TeamForm(),
        "breadcrumbs": _crumbs(_departments_crumb(), (department.name, None)),
    }


@login_required
def department_detail(request: HttpRequest, pk: int) -> HttpResponse:
    department = org_policy.get_visible_or_404(request.user, pk=pk)
    return render(request, "org/department_detail.html", _department_context(request, department))


@login_required
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    department = org_policy.get_visible_or_404(request.user, pk=pk)
    org_policy.check(request.user, MANAGE, department)
    form = forms.DepartmentForm(request.POST or None, department=department)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data.get("order") is None:
            data["order"] = department.order
        try:
            services.department_update(department=department, actor=request.user, **data)
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        else:
            messages.success(request, "부서 정보를 저장했습니다.")
            return redirect("org:department", pk=department.pk)
    detail_url = reverse("org:department", args=[department.pk])
    return render(
        request,
        "org/department_form.html",
        {
            "form": form,
            "department": department,
            "title": f"{department.name} 수정",
            "cancel_url": detail_url,
            "breadcrumbs": _crumbs(_departments_crumb(), (department.name, detail_url), ("수정", None)),
        },
    )


def _department_action(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    department = org_policy.get_visible_or_404(request.user, pk=pk)
    org_policy.check(request.user, MANAGE, department)
    try:
        action(department=department, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("org:department", pk=department.pk)
    messages.success(request, done.format(name=department.name))
    return redirect("org:department", pk=department.pk)


@login_required
@require_POST
def department_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _department_action(
        request, pk, services.department_deactivate, "'{name}' 부서를 사용 중지했습니다. 기록은 그대로 남습니다."
    )


@login_required
@require_POST
def department_activate(request: HttpRequest, pk: int) -> HttpResponse:
    return _department_action(request, pk, services.department_activate, "'{name}' 부서를 다시 사용합니다.")


@login_required
@require_POST
def department_delete(request: HttpRequest, pk: int) -> HttpResponse:
    department = org_policy.get_visible_or_404(request.user, pk=pk)
    org_policy.check(request.user, MANAGE, department)
    try:
        services.department_delete(department=department, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("org:department", pk=department.pk)
    messages.success(request, f"'{department.name}' 부서를 삭제했습니다.")
    return redirect("org:departments")


# --- teams ------------------------------------------------------------------------------------


@login_required
@require_POST
def team_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Inline "팀 추가" on the department page: with htmx it answers the teams section only."""
    department = org_policy.get_visible_or_404(request.user, pk=pk)
    org_policy.check(request.user, MANAGE, department)
    form = forms.TeamForm(request.POST)
    added = None
    if form.is_valid():
        try:
            added = services.team_create(department=department, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
    if added is not None and not _htmx(request):
        messages.success(request, f"'{added.name}'을(를) 추가했습니다.")
        return redirect("org:department", pk=department.pk)
    context = _department_context(request, department, team_form=None if added else form)
    context["team_added"] = added
    template = "org/department_detail.html#teams" if _htmx(request) else "org/department_detail.html"
    return render(request, template, context)


@login_required
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = org_policy.get_team_or_404(request.user, pk=pk)
    org_policy.check(request.user, MANAGE, team.department)
    initial = {"name": team.name, "order": team.order, "active": team.active}
    form = forms.TeamEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data.get("order") is None:
            data["order"] = team.order
        try:
            services.team_update(team=team, actor=request.user, **data)
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        else:
            messages.success(request, "팀 정보를 저장했습니다.")
            return redirect("org:department", pk=team.department_id)
    detail_url = reverse("org:department", args=[team.department_id])
    return render(
        request,
        "org/simple_form.html",
        {
            "form": form,
            "title": f"{team.department.name} {team.name} 수정",
            "cancel_url": detail_url,
            "breadcrumbs": _crumbs(_departments_crumb(), (team.department.name, detail_url), ("팀 수정", None)),
        },
    )


# --- people ------------------------------------------------------------------------------------


def _can_list_people(user: Any) -> bool:
    return org_policy.can(user, MANAGE) or selectors.has_role(user, Role.MANAGER)


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    if not _can_list_people(request.user):
        raise PermissionDenied("직원 목록은 기획감사실, 시스템 관리자와 부서장만 볼 수 있습니다.")
    scope = org_policy.people_scope(request.user)
    departments = Department.objects.filter(pk__in=scope.values("department_id"))
    filter_form = forms.PeopleFilterForm(request.GET, departments=departments)
    people = selectors.people_list(scope, **filter_form.filters()).order_by(
        "department__order", "department__code", "user__first_name", "user__username"
    )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "org/people_list.html",
        {
            "filter_form": filter_form,
            "page": page,
            "query_string": query.urlencode(),
            "can_manage": org_policy.can(request.user, MANAGE),
            "breadcrumbs": _crumbs(("직원", None)),
        },
    )


def _person_data(form: forms.PersonForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("password2", None)
    password = data.pop("password1", None)
    if form.person is None:
        data["password"] = password or None
    else:
        data.pop("username", None)
    return data


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    org_policy.check(request.user, MANAGE)
    initial = {}
    department_pk = request.GET.get("department", "")
    if department_pk.isdigit():
        initial["department"] = int(department_pk)
    form = forms.PersonForm(
        request.POST or None, initial=initial, can_assign_admin=org_policy.can(request.user, ASSIGN_ADMIN)
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=request.user, **_person_data(form))
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "password" in exc.error_dict:
                exc.error_dict["password1"] = exc.error_dict.pop("password")
            forms.apply_service_errors(form, exc)
        else:
            messages.success(request, f"{person.user.first_name}({person.user.username}) 직원을 등록했습니다.")
            return redirect(f"{reverse('org:people')}?department={person.department_id}")
    return render(
        request,
        "org/person_form.html",
        {
            "form": form,
            "title": "직원 등록",
            "breadcrumbs": _crumbs(("직원", reverse("org:people")), ("직원 등록", None)),
        },
    )


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = org_policy.get_person_or_404(request.user, pk=pk)
    org_policy.check(request.user, MANAGE, person.department)
    form = forms.PersonForm(
        request.POST or None, person=person, can_assign_admin=org_policy.can(request.user, ASSIGN_ADMIN)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(person=person, actor=request.user, **_person_data(form))
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        else:
            messages.success(request, "직원 정보를 저장했습니다.")
            return redirect(f"{reverse('org:people')}?department={person.department_id}")
    return render(
        request,
        "org/person_form.html",
        {
            "form": form,
            "password_form": forms.PasswordSetForm(auto_id="pw_%s"),
            "person": person,
            "title": f"{person} 정보 수정",
            "breadcrumbs": _crumbs(("직원", reverse("org:people")), (str(person), None)),
        },
    )


@login_required
@require_POST
def person_password(request: HttpRequest, pk: int) -> HttpResponse:
    person = org_policy.get_person_or_404(request.user, pk=pk)
    org_policy.check(request.user, MANAGE, person.department)
    password_form = forms.PasswordSetForm(request.POST, auto_id="pw_%s")
    if password_form.is_valid():
        try:
            services.person_set_password(
                person=person, actor=request.user, password=password_form.cleaned_data["password1"]
            )
        except ValidationError as exc:
            forms.apply_service_errors(password_form, exc)
        else:
            messages.success(request, f"{person}의 비밀번호를 설정했습니다.")
            return redirect("org:person_edit", pk=person.pk)
    form = forms.PersonForm(person=person, can_assign_admin=org_policy.can(request.user, ASSIGN_ADMIN))
    return render(
        request,
        "org/person_form.html",
        {
            "form": form,
            "password_form": password_form,
            "person": person,
            "title": f"{person} 정보 수정",
            "breadcrumbs": _crumbs(("직원", reverse("org:people")), (str(person), None)),
        },
    )


def _person_action(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    person = org_policy.get_person_or_404(request.user, pk=pk)
    org_policy.check(request.user, MANAGE, person.department)
    try:
        action(person=person, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done.format(name=person))
    return redirect("org:person_edit", pk=person.pk)


@login_required
@require_POST
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_action(
        request, pk, services.person_deactivate, "{name} 계정을 사용 중지했습니다. 더는 로그인할 수 없습니다."
    )


@login_required
@require_POST
def person_activate(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_action(request, pk, services.person_activate, "{name} 계정을 다시 사용합니다.")


# --- bureaus, evaluation groups, city --------------------------------------------------------


@login_required
def bureau_list(request: HttpRequest) -> HttpResponse:
    org_policy.check(request.user, MANAGE)
    form = forms.BureauForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bureau = services.bureau_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        else:
            messages.success(request, f"'{bureau.name}'을(를) 추가했습니다.")
            return redirect("org:bureaus")
    return render(
        request,
        "org/bureau_list.html",
        {"bureaus": selectors.bureaus(), "form": form, "breadcrumbs": _crumbs(("국", None))},
    )


@login_required
def bureau_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org_policy.check(request.user, MANAGE)
    bureau = _get_or_404(Bureau.objects.all(), pk=pk)
    initial = {"name": bureau.name, "code": bureau.code, "order": bureau.order, "active": bureau.active}
    form = forms.BureauEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data.get("order") is None:
            data["order"] = bureau.order
        try:
            services.bureau_update(bureau=bureau, actor=request.user, **data)
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        else:
            messages.success(request, "국 정보를 저장했습니다.")
            return redirect("org:bureaus")
    list_url = reverse("org:bureaus")
    return render(
        request,
        "org/simple_form.html",
        {
            "form": form,
            "title": f"{bureau.name} 수정",
            "cancel_url": list_url,
            "breadcrumbs": _crumbs(("국", list_url), (bureau.name, None)),
        },
    )


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    org_policy.check(request.user, MANAGE)
    form = forms.GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.evaluation_group_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        else:
            messages.success(request, f"평가군 '{group.name}'을(를) 추가했습니다.")
            return redirect("org:groups")
    return render(
        request,
        "org/group_list.html",
        {"groups": selectors.evaluation_group_list(), "form": form, "breadcrumbs": _crumbs(("평가군", None))},
    )


@login_required
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org_policy.check(request.user, MANAGE)
    group = _get_or_404(EvaluationGroup.objects.all(), pk=pk)
    form = forms.GroupEditForm(
        request.POST or None, initial={"name": group.name, "code": group.code, "order": group.order}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data.get("order") is None:
            data["order"] = group.order
        try:
            services.evaluation_group_update(group=group, actor=request.user, **data)
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        else:
            messages.success(request, "평가군을 저장했습니다.")
            return redirect("org:groups")
    list_url = reverse("org:groups")
    return render(
        request,
        "org/simple_form.html",
        {
            "form": form,
            "title": f"평가군 {group.name} 수정",
            "cancel_url": list_url,
            "breadcrumbs": _crumbs(("평가군", list_url), (group.name, None)),
        },
    )


@login_required
def city_edit(request: HttpRequest) -> HttpResponse:
    org_policy.check(request.user, MANAGE)
    city = selectors.city()
    form = forms.CityForm(request.POST or None, initial={"name": city.name, "province": city.province})
    if request.method == "POST" and form.is_valid():
        try:
            services.city_update(city=city, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        else:
            messages.success(request, "지방자치단체 정보를 저장했습니다.")
            return redirect("org:city")
    return render(
        request,
        "org/simple_form.html",
        {"form": form, "title": "지방자치단체 정보", "breadcrumbs": _crumbs(("지방자치단체 정보", None))},
    )


# --- import -----------------------------------------------------------------------------------


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    org_policy.check(request.user, MANAGE)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    report = None
    failure = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = upload.read(importers.MAX_BYTES + 1)
            report = services.org_chart_import(
                data=data, filename=upload.name or "", actor=request.user, dry_run=form.cleaned_data["dry_run"]
            )
        except importers.OrgImportError as exc:
            failure = exc
    return render(
        request,
        "org/import.html",
        {
            "form": form,
            "report": report,
            "failure": failure,
            "columns": importers.COLUMNS,
            "kind_labels": importers.KIND_LABELS,
            "breadcrumbs": _crumbs(("조직도 가져오기", None)),
        },
    )


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    """The current organisation as a CSV in the import format: edit it in Excel and upload it back."""
    org_policy.check(request.user, MANAGE)
    departments = selectors.departments().prefetch_related(Prefetch("teams", queryset=Team.objects.order_by("order")))
    body = importers.rows_to_csv(importers.template_rows(departments))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename=\"org-chart.csv\"; filename*=UTF-8''{quote('조직도.csv')}"
    return response


# --- downloads --------------------------------------------------------------------------------


@login_required
def department_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The department list (with the filters of the list page) as HWPX or XLSX."""
    if fmt not in ("hwpx", "xlsx"):
        raise Http404("지원하지 않는 문서 형식입니다.")
    filters = forms.DepartmentFilterForm(request.GET).filters()
    departments = org_policy.scope(request.user, selectors.department_list(**filters))
    report = department_report(departments)
    return report_response(report, fmt, f"{selectors.city().name} 부서 현황 {report.issued_on:%Y%m%d}")

"""Pages of pledges, and the public, read-only pledge page (no login)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hwallyu.pledges import policies as p
from hwallyu.pledges import selectors, services
from hwallyu.pledges.forms import (
    CategoryForm,
    FilterForm,
    NoteForm,
    PledgeForm,
    PublicPageForm,
    SchemeCreateForm,
    StateForm,
    TargetForm,
)
from hwallyu.pledges.models import Pledge, PledgeCategory, PledgeNote, PledgeScheme, PledgeState
from hwallyu.pledges.policies import pledges
from hwallyu.workplan.money import to_million
from hwallyu.workplan.views import apply_errors


def _crumbs(*more: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("공약", reverse("pledges:list")), *more]


def _pledge(request: HttpRequest, pledge_id: int) -> Pledge:
    return pledges.get_visible_or_404(
        request.user, Pledge.objects.select_related("category", "department"), pk=pledge_id
    )


@login_required
def pledge_list(request: HttpRequest) -> HttpResponse:
    filters = FilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.pledge_list(
        pledges.scope(request.user),
        category_id=data["category"].pk if data.get("category") else None,
        department_id=data["department"].pk if data.get("department") else None,
        state_code=data.get("state", ""),
        query=data.get("q", ""),
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    year_states = selectors.states_for()
    states = {s.code: s for s in year_states}
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "pledges/list.html",
        {
            "page": page,
            "rows": [(pl, states.get(pl.state_code)) for pl in page],
            "filters": filters,
            "report": selectors.completion(pledges.scope(request.user), states=year_states),
            "can_manage": pledges.can(request.user, p.MANAGE),
            "query_string": query.urlencode(),
            "breadcrumbs": _crumbs(("공약 목록", None)),
        },
    )


@login_required
def pledge_stats(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("year") or selectors.this_year())
    except ValueError:
        raise Http404("연도가 올바르지 않습니다.")
    return render(
        request,
        "pledges/stats.html",
        {
            "report": selectors.completion(pledges.scope(request.user), year=year),
            "breadcrumbs": _crumbs(("이행률", None)),
        },
    )


def _initial(pledge: Pledge) -> dict[str, Any]:
    return {
        "code": pledge.code,
        "title": pledge.title,
        "category": pledge.category_id,
        "department": pledge.department_id,
        "term": pledge.term,
        "summary": pledge.summary,
        "state_code": pledge.state_code,
        "progress": pledge.progress,
        "budget_needed": to_million(pledge.budget_needed),
        "budget_secured": to_million(pledge.budget_secured),
        "published": pledge.published,
    }


@login_required
def pledge_create(request: HttpRequest) -> HttpResponse:
    pledges.check(request.user, p.MANAGE)
    form = PledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pledge = services.pledge_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "공약을 등록했습니다.")
            return redirect("pledges:detail", pledge_id=pledge.pk)
    return render(
        request, "pledges/form.html", {"form": form, "title": "공약 등록", "breadcrumbs": _crumbs(("등록", None))}
    )


@login_required
def pledge_edit(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = _pledge(request, pledge_id)
    pledges.check(request.user, p.MANAGE, pledge)
    form = PledgeForm(request.POST or None, initial=_initial(pledge))
    if request.method == "POST" and form.is_valid():
        changed = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
        try:
            services.pledge_update(pledge=pledge, actor=request.user, **changed)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "공약을 저장했습니다.")
            return redirect("pledges:detail", pledge_id=pledge.pk)
    return render(
        request,
        "pledges/form.html",
        {
            "form": form,
            "title": "공약 수정",
            "breadcrumbs": _crumbs((pledge.title, reverse("pledges:detail", args=[pledge.pk])), ("수정", None)),
        },
    )


@login_required
def pledge_detail(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = _pledge(request, pledge_id)
    states = selectors.state_map()
    notes = list(pledge.notes.select_related("author"))
    return render(
        request,
        "pledges/detail.html",
        {
            "pledge": pledge,
            "state": states.get(pledge.state_code),
            "notes": [(n, states.get(n.state_code)) for n in notes],
            "targets": list(pledge.targets.all()),
            "can_manage": pledges.can(request.user, p.MANAGE, pledge),
            "can_note": pledges.can(request.user, p.ADD_NOTE, pledge),
            "can_target": pledges.can(request.user, p.EDIT_TARGET, pledge),
            "breadcrumbs": _crumbs((pledge.title, None)),
        },
    )


@login_required
def note_create(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = _pledge(request, pledge_id)
    pledges.check(request.user, p.ADD_NOTE, pledge)
    from django.utils import timezone

    form = NoteForm(
        request.POST or None,
        request.FILES or None,
        initial={"written_on": timezone.localdate(), "state_code": pledge.state_code, "progress": pledge.progress},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_note_add(pledge=pledge, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "추진 실적을 등록했습니다.")
            return redirect("pledges:detail", pledge_id=pledge.pk)
    return render(
        request,
        "pledges/form.html",
        {
            "form": form,
            "title": f"추진 실적 등록 — {pledge.title}",
            "breadcrumbs": _crumbs((pledge.title, reverse("pledges:detail", args=[pledge.pk])), ("추진 실적", None)),
        },
    )


@login_required
def note_evidence(request: HttpRequest, note_id: int) -> HttpResponseBase:
    note = PledgeNote.objects.select_related("pledge").filter(pk=note_id).first()
    if note is None or not note.evidence or not pledges.scope(request.user).filter(pk=note.pledge_id).exists():
        raise Http404("찾을 수 없습니다.")
    try:
        handle = note.evidence.open("rb")
    except FileNotFoundError:
        raise Http404("파일이 없습니다.")
    return FileResponse(handle, as_attachment=True, filename=note.evidence_name or "evidence")


@login_required
def target_edit(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = _pledge(request, pledge_id)
    pledges.check(request.user, p.EDIT_TARGET, pledge)
    try:
        year = int(request.GET.get("year") or selectors.this_year())
    except ValueError:
        raise Http404("연도가 올바르지 않습니다.")
    existing = pledge.targets.filter(year=year).first()
    initial: dict[str, Any] = {"year": year}
    if existing is not None:
        initial.update(
            target=existing.target,
            planned_months=existing.planned_months,
            budget_planned=to_million(existing.budget_planned),
        )
    form = TargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_target_save(pledge=pledge, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "연도 목표를 저장했습니다.")
            return redirect("pledges:detail", pledge_id=pledge.pk)
    return render(
        request,
        "pledges/form.html",
        {
            "form": form,
            "title": f"연도 목표 — {pledge.title}",
            "breadcrumbs": _crumbs((pledge.title, reverse("pledges:detail", args=[pledge.pk])), ("연도 목표", None)),
        },
    )


# --- categories and the yearly scheme ---------------------------------------------------------


@login_required
def categories(request: HttpRequest) -> HttpResponse:
    pledges.check(request.user, p.MANAGE)
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_save(name=form.cleaned_data["name"], actor=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "분야를 추가했습니다.")
            return redirect("pledges:categories")
    return render(
        request,
        "pledges/categories.html",
        {"form": form, "categories": PledgeCategory.objects.all(), "breadcrumbs": _crumbs(("분야", None))},
    )


@login_required
def scheme(request: HttpRequest, year: int | None = None) -> HttpResponse:
    pledges.check(request.user, p.MANAGE)
    year = year or selectors.this_year()
    own = PledgeScheme.objects.filter(year=year).first()
    create_form = SchemeCreateForm(request.POST or None, initial={"year": year}, prefix="new")
    state_form = StateForm(request.POST or None, prefix="state")
    if request.method == "POST" and "new-year" in request.POST and create_form.is_valid():
        try:
            created = services.scheme_create(year=create_form.cleaned_data["year"], actor=request.user)
        except ValidationError as exc:
            apply_errors(create_form, exc)
        else:
            messages.success(request, f"{created.year}년 상태 체계를 만들었습니다.")
            return redirect("pledges:scheme_year", year=created.year)
    elif request.method == "POST" and "state-code" in request.POST and own is not None and state_form.is_valid():
        try:
            services.state_save(scheme=own, actor=request.user, **state_form.cleaned_data)
        except ValidationError as exc:
            apply_errors(state_form, exc)
        else:
            messages.success(request, "상태를 추가했습니다.")
            return redirect("pledges:scheme_year", year=year)
    return render(
        request,
        "pledges/scheme.html",
        {
            "year": year,
            "scheme": own,
            "states": list(own.states.all()) if own else selectors.states_for(year),
            "create_form": create_form,
            "state_form": state_form,
            "schemes": PledgeScheme.objects.all(),
            "breadcrumbs": _crumbs(("상태 체계", None)),
        },
    )


@login_required
def state_edit(request: HttpRequest, state_id: int) -> HttpResponse:
    pledges.check(request.user, p.MANAGE)
    state = PledgeState.objects.select_related("scheme").filter(pk=state_id).first()
    if state is None:
        raise Http404("찾을 수 없습니다.")
    form = StateForm(
        request.POST or None,
        initial={
            "code": state.code,
            "label": state.label,
            "counts_as_complete": state.counts_as_complete,
            "tone": state.tone,
            "order": state.order,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.state_save(scheme=state.scheme, state=state, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "상태를 저장했습니다.")
            return redirect("pledges:scheme_year", year=state.scheme.year)
    return render(
        request,
        "pledges/form.html",
        {
            "form": form,
            "title": f"{state.scheme.year}년 상태 — {state.label}",
            "breadcrumbs": _crumbs(
                ("상태 체계", reverse("pledges:scheme_year", args=[state.scheme.year])), (state.label, None)
            ),
        },
    )


@login_required
@require_POST
def state_delete(request: HttpRequest, state_id: int) -> HttpResponse:
    pledges.check(request.user, p.MANAGE)
    state = PledgeState.objects.select_related("scheme").filter(pk=state_id).first()
    if state is None:
        raise Http404("찾을 수 없습니다.")
    year = state.scheme.year
    try:
        services.state_delete(state=state, actor=request.user)
        messages.success(request, "상태를 삭제했습니다.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("pledges:scheme_year", year=year)


# --- the public page ----------------------------------------------------------------------------


@login_required
def public_settings(request: HttpRequest) -> HttpResponse:
    pledges.check(request.user, p.PUBLIC_SWITCH)
    page = selectors.public_page()
    form = PublicPageForm(
        request.POST or None, initial={"enabled": page.enabled, "title": page.title, "intro": page.intro}
    )
    if request.method == "POST" and form.is_valid():
        try:
            page = services.public_page_update(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "공개 페이지를 " + ("켰습니다." if page.enabled else "껐습니다."))
            return redirect("pledges:public_settings")
    return render(
        request,
        "pledges/public_settings.html",
        {
            "form": form,
            "page": page,
            "public_url": reverse("pledges:public"),
            "breadcrumbs": _crumbs(("공개 페이지", None)),
        },
    )


def public(request: HttpRequest) -> HttpResponse:
    """The citizens' read-only pledge page: no login; a polite 404-like page while switched off."""
    page = selectors.public_page()
    if not page.enabled:
        return render(request, "pledges/public_off.html", {"page": page}, status=404)
    year_states = selectors.states_for()
    states = {s.code: s for s in year_states}
    items = list(  # only what the page shows: a city has a few hundred pledges
        selectors.public_pledges().only(
            "code", "title", "state_code", "progress", "category__name", "category__order", "department__name"
        )
    )
    report = selectors.completion(selectors.public_pledges(), states=year_states)
    groups: dict[str, list[tuple[Pledge, Any]]] = {}
    for pledge in items:
        groups.setdefault(pledge.category.name, []).append((pledge, states.get(pledge.state_code)))
    return render(request, "pledges/public.html", {"page": page, "groups": groups, "report": report})

"""Adding, editing and removing the parts of an initiative, and the actions with evidence
(completing a stage, changing an agreement state), contacts, meetings, documents and trends.

Each view resolves the initiative through the policy (404 outside the user's scope), then the
part inside that initiative (404 for another initiative's part), checks the right to manage
(403), validates a form and calls one service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from hwallyu.api.base import ServiceError
from hwallyu.initiatives import selectors, services
from hwallyu.initiatives.forms import (
    BudgetLineForm,
    ContactForm,
    CriterionForm,
    DocumentForm,
    EventForm,
    InstitutionContactForm,
    InstitutionForm,
    MeetingForm,
    MilestoneCompleteForm,
    MilestoneForm,
    PartnerForm,
    PartnerStateForm,
    TargetForm,
    TrendForm,
)
from hwallyu.initiatives.models import (
    BudgetLine,
    Document,
    Event,
    Initiative,
    InstitutionContact,
    InstitutionTarget,
    Milestone,
    Partner,
    PartnerContact,
    PartnerMeeting,
    ReviewCriterion,
    Target,
    TrendEntry,
)
from hwallyu.initiatives.policies import MANAGE, trends
from hwallyu.initiatives.views.common import apply_error, form_page, get_initiative, require_manage


@dataclass(frozen=True)
class Part:
    """One kind of part of an initiative, edited with one form and three services."""

    model: type[Model]
    tab: str
    label: str
    noun: str
    form: type[forms.Form]
    create: Callable[..., Model]
    update: Callable[..., Model]
    delete: Callable[..., None]
    form_kwargs: Callable[[Initiative], dict[str, Any]] = field(default=lambda i: {})
    detail: str = ""  # url name of the part's own page, when it has one


PARTS: dict[str, Part] = {
    "milestones": Part(
        Milestone,
        "milestones",
        "추진 단계",
        "단계",
        MilestoneForm,
        lambda initiative, actor, data: services.milestone_create(initiative=initiative, actor=actor, **data),
        lambda obj, actor, data: services.milestone_update(milestone=obj, actor=actor, **data),
        lambda obj, actor: services.milestone_delete(milestone=obj, actor=actor),
    ),
    "criteria": Part(
        ReviewCriterion,
        "readiness",
        "심사 대비",
        "평가 항목",
        CriterionForm,
        lambda initiative, actor, data: services.criterion_create(initiative=initiative, actor=actor, **data),
        lambda obj, actor, data: services.criterion_update(criterion=obj, actor=actor, **data),
        lambda obj, actor: services.criterion_delete(criterion=obj, actor=actor),
    ),
    "partners": Part(
        Partner,
        "partners",
        "협력 기관",
        "협력 기관",
        PartnerForm,
        lambda initiative, actor, data: services.partner_create(initiative=initiative, actor=actor, **data),
        lambda obj, actor, data: services.partner_update(partner=obj, actor=actor, **data),
        lambda obj, actor: services.partner_delete(partner=obj, actor=actor),
        detail="initiatives:partner",
    ),
    "targets": Part(
        Target,
        "targets",
        "목표",
        "목표",
        TargetForm,
        lambda initiative, actor, data: services.target_create(initiative=initiative, actor=actor, **data),
        lambda obj, actor, data: services.target_update(target=obj, actor=actor, **data),
        lambda obj, actor: services.target_delete(target=obj, actor=actor),
    ),
    "budget": Part(
        BudgetLine,
        "budget",
        "예산",
        "예산 항목",
        BudgetLineForm,
        lambda initiative, actor, data: services.budget_line_create(initiative=initiative, actor=actor, **data),
        lambda obj, actor, data: services.budget_line_update(line=obj, actor=actor, **data),
        lambda obj, actor: services.budget_line_delete(line=obj, actor=actor),
        form_kwargs=lambda initiative: {"initiative": initiative},
    ),
    "events": Part(
        Event,
        "events",
        "행사·홍보",
        "행사",
        EventForm,
        lambda initiative, actor, data: services.event_create(initiative=initiative, actor=actor, **data),
        lambda obj, actor, data: services.event_update(event=obj, actor=actor, **data),
        lambda obj, actor: services.event_delete(event=obj, actor=actor),
    ),
    "institutions": Part(
        InstitutionTarget,
        "institutions",
        "유치 대상",
        "유치 대상 기관",
        InstitutionForm,
        lambda initiative, actor, data: services.institution_create(initiative=initiative, actor=actor, **data),
        lambda obj, actor, data: services.institution_update(institution=obj, actor=actor, **data),
        lambda obj, actor: services.institution_delete(institution=obj, actor=actor),
        detail="initiatives:institution",
    ),
}


def _tab_url(part: Part, initiative: Initiative) -> str:
    return reverse(f"initiatives:{part.tab}", args=[initiative.pk])


def _after(part: Part, initiative: Initiative, obj: Model) -> str:
    if part.detail:
        return reverse(part.detail, args=[initiative.pk, obj.pk])
    return _tab_url(part, initiative)


@login_required
def part_create(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    spec = PARTS[part]
    initiative = get_initiative(request, pk)
    require_manage(request, initiative)
    form = spec.form(request.POST or None, request.FILES or None, **spec.form_kwargs(initiative))
    if request.method == "POST" and form.is_valid():
        try:
            obj = spec.create(initiative, request.user, form.cleaned_data)
        except ServiceError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"{spec.noun}을(를) 추가했습니다.")
            return redirect(_after(spec, initiative, obj))
    return form_page(
        request,
        form,
        title=f"{spec.noun} 추가",
        initiative=initiative,
        back=_tab_url(spec, initiative),
        crumb=(spec.label, _tab_url(spec, initiative)),
    )


@login_required
def part_edit(request: HttpRequest, pk: int, item_id: int, part: str) -> HttpResponse:
    spec = PARTS[part]
    initiative = get_initiative(request, pk)
    obj = get_object_or_404(spec.model, initiative=initiative, pk=item_id)
    require_manage(request, initiative)
    initial = spec.form.initial_for(obj)  # type: ignore[attr-defined]
    form = spec.form(request.POST or None, request.FILES or None, initial=initial, **spec.form_kwargs(initiative))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data or k == "upload"}
        if data.get("upload") is None:
            data.pop("upload", None)
        try:
            spec.update(obj, request.user, data)
        except ServiceError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"{spec.noun}을(를) 저장했습니다.")
            return redirect(_after(spec, initiative, obj))
    return form_page(
        request,
        form,
        title=f"{spec.noun} 수정 — {obj}",
        initiative=initiative,
        back=_after(spec, initiative, obj),
        crumb=(spec.label, _tab_url(spec, initiative)),
    )


@login_required
@require_POST
def part_delete(request: HttpRequest, pk: int, item_id: int, part: str) -> HttpResponse:
    spec = PARTS[part]
    initiative = get_initiative(request, pk)
    obj = get_object_or_404(spec.model, initiative=initiative, pk=item_id)
    require_manage(request, initiative)
    try:
        spec.delete(obj, request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(_after(spec, initiative, obj))
    messages.success(request, f"{spec.noun} '{obj}'을(를) 지웠습니다.")
    return redirect(_tab_url(spec, initiative))


# --- actions with evidence -------------------------------------------------------------------------


@login_required
def milestone_complete(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    milestone = get_object_or_404(Milestone, initiative=initiative, pk=item_id)
    require_manage(request, initiative)
    initial = {"actual_on": milestone.actual_on or timezone.localdate(), "note": milestone.note}
    form = MilestoneCompleteForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_complete(milestone=milestone, actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"'{milestone.name}' 단계를 완료로 표시했습니다.")
            return redirect("initiatives:milestones", pk=initiative.pk)
    back = reverse("initiatives:milestones", args=[initiative.pk])
    return form_page(
        request,
        form,
        title=f"단계 완료 — {milestone.name}",
        initiative=initiative,
        back=back,
        crumb=("추진 단계", back),
        intro=f"계획일 {milestone.planned_label()} · 결정 기관 {milestone.deciding_body or '-'}",
    )


@login_required
def partner_state(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    partner = get_object_or_404(Partner, initiative=initiative, pk=item_id)
    require_manage(request, initiative)
    initial = {"state": partner.state, "on": timezone.localdate(), "note": partner.note}
    form = PartnerStateForm(request.POST or None, request.FILES or None, initial=initial)
    back = reverse("initiatives:partner", args=[initiative.pk, partner.pk])
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_set_state(partner=partner, actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            apply_error(form, exc)
        else:
            messages.success(
                request, f"'{partner.name}'의 협약 상태를 '{partner.get_state_display()}'(으)로 바꿨습니다."
            )
            return redirect(back)
    return form_page(
        request,
        form,
        title=f"협약 상태 — {partner.name}",
        initiative=initiative,
        back=back,
        crumb=("협력 기관", reverse("initiatives:partners", args=[initiative.pk])),
        intro="참여의향서·업무협약·완료로 표시하려면 서명된 문서가 있어야 합니다(이미 올렸거나 여기서 함께 올림).",
    )


# --- contacts and meetings of a partner, contacts of an institution ------------------------------------


@dataclass(frozen=True)
class Child:
    model: type[Model]
    parent_model: type[Model]
    parent_field: str
    parent_page: str
    noun: str
    form: type[forms.Form]
    create: Callable[..., Model]
    update: Callable[..., Model]
    delete: Callable[..., None]


CHILDREN: dict[str, Child] = {
    "contacts": Child(
        PartnerContact,
        Partner,
        "partner",
        "initiatives:partner",
        "담당자 연락처",
        ContactForm,
        lambda parent, actor, data: services.contact_create(partner=parent, actor=actor, **data),
        lambda obj, actor, data: services.contact_update(contact=obj, actor=actor, **data),
        lambda obj, actor: services.contact_delete(contact=obj, actor=actor),
    ),
    "meetings": Child(
        PartnerMeeting,
        Partner,
        "partner",
        "initiatives:partner",
        "협의 기록",
        MeetingForm,
        lambda parent, actor, data: services.meeting_create(partner=parent, actor=actor, **data),
        lambda obj, actor, data: services.meeting_update(meeting=obj, actor=actor, **data),
        lambda obj, actor: services.meeting_delete(meeting=obj, actor=actor),
    ),
    "institution_contacts": Child(
        InstitutionContact,
        InstitutionTarget,
        "institution",
        "initiatives:institution",
        "접촉 기록",
        InstitutionContactForm,
        lambda parent, actor, data: services.institution_contact_create(institution=parent, actor=actor, **data),
        lambda obj, actor, data: services.institution_contact_update(contact=obj, actor=actor, **data),
        lambda obj, actor: services.institution_contact_delete(contact=obj, actor=actor),
    ),
}


@login_required
def child_create(request: HttpRequest, pk: int, parent_id: int, child: str) -> HttpResponse:
    spec = CHILDREN[child]
    initiative = get_initiative(request, pk)
    parent = get_object_or_404(spec.parent_model, initiative=initiative, pk=parent_id)
    require_manage(request, initiative)
    back = reverse(spec.parent_page, args=[initiative.pk, parent.pk])
    form = spec.form(
        request.POST or None, initial={"held_on": timezone.localdate(), "contacted_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            spec.create(parent, request.user, form.cleaned_data)
        except ServiceError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"{spec.noun}을(를) 추가했습니다.")
            return redirect(back)
    return form_page(
        request, form, title=f"{spec.noun} 추가 — {parent}", initiative=initiative, back=back, crumb=(str(parent), back)
    )


def _child(spec: Child, initiative: Initiative, item_id: int) -> Model:
    lookup = {f"{spec.parent_field}__initiative": initiative, "pk": item_id}
    return get_object_or_404(spec.model.objects.select_related(spec.parent_field), **lookup)  # type: ignore[attr-defined]


@login_required
def child_edit(request: HttpRequest, pk: int, item_id: int, child: str) -> HttpResponse:
    spec = CHILDREN[child]
    initiative = get_initiative(request, pk)
    obj = _child(spec, initiative, item_id)
    require_manage(request, initiative)
    parent = getattr(obj, spec.parent_field)
    back = reverse(spec.parent_page, args=[initiative.pk, parent.pk])
    form = spec.form(request.POST or None, initial=spec.form.initial_for(obj))  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
        try:
            spec.update(obj, request.user, data)
        except ServiceError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"{spec.noun}을(를) 저장했습니다.")
            return redirect(back)
    return form_page(
        request, form, title=f"{spec.noun} 수정 — {parent}", initiative=initiative, back=back, crumb=(str(parent), back)
    )


@login_required
@require_POST
def child_delete(request: HttpRequest, pk: int, item_id: int, child: str) -> HttpResponse:
    spec = CHILDREN[child]
    initiative = get_initiative(request, pk)
    obj = _child(spec, initiative, item_id)
    require_manage(request, initiative)
    parent = getattr(obj, spec.parent_field)
    try:
        spec.delete(obj, request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{spec.noun}을(를) 지웠습니다.")
    return redirect(spec.parent_page, pk=initiative.pk, item_id=parent.pk)


# --- documents ---------------------------------------------------------------------------------------


@login_required
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    require_manage(request, initiative)
    initial = {}
    for name in ("milestone", "partner", "criterion", "event", "institution"):
        value = request.GET.get(name, "")
        if value.isdigit():
            initial[name] = int(value)
    form = DocumentForm(request.POST or None, request.FILES or None, initiative=initiative, initial=initial)
    back = reverse("initiatives:documents", args=[initiative.pk])
    if request.method == "POST" and form.is_valid():
        try:
            services.document_upload(initiative=initiative, actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "문서를 올렸습니다.")
            return redirect(request.POST["next"] if _safe_next(request) else back)
    return form_page(request, form, title="문서 올리기", initiative=initiative, back=back, crumb=("문서", back))


def _safe_next(request: HttpRequest) -> bool:
    target = request.POST.get("next", "")
    return target.startswith("/initiatives/") and "//" not in target


@login_required
@require_POST
def document_delete(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    document = get_object_or_404(
        Document.objects.select_related("partner", "criterion"), initiative=initiative, pk=item_id
    )
    require_manage(request, initiative)
    try:
        services.document_delete(document=document, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"문서 '{document.title}'을(를) 지웠습니다.")
    return redirect("initiatives:documents", pk=initiative.pk)


# --- trend log -----------------------------------------------------------------------------------------


def _trend_back(request: HttpRequest) -> str:
    initiative = request.GET.get("initiative", "")
    if initiative.isdigit():
        return reverse("initiatives:initiative_trends", args=[int(initiative)])
    return reverse("initiatives:trends")


@login_required
def trend_create(request: HttpRequest) -> HttpResponse:
    trends.check(request.user, MANAGE)
    visible = selectors.visible_initiatives(request.user).order_by("name")
    initial: dict[str, Any] = {"recorded_on": timezone.localdate()}
    initiative = request.GET.get("initiative", "")
    if initiative.isdigit():
        initial["initiatives"] = [int(initiative)]
    form = TrendForm(request.POST or None, choices=visible, initial=initial)
    back = _trend_back(request)
    if request.method == "POST" and form.is_valid():
        try:
            services.trend_create(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "동향을 기록했습니다.")
            return redirect(back)
    return form_page(
        request, form, title="동향 기록", initiative=None, back=back, crumb=("동향 기록", reverse("initiatives:trends"))
    )


@login_required
def trend_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    entry = trends.get_visible_or_404(request.user, pk=item_id)
    trends.check(request.user, MANAGE, entry)
    visible = selectors.visible_initiatives(request.user).order_by("name")
    initial = {
        "recorded_on": entry.recorded_on,
        "title": entry.title,
        "source": entry.source,
        "url": entry.url,
        "tags": ", ".join(entry.tag_list()),
        "initiatives": list(entry.initiatives.all()),
        "body": entry.body,
    }
    form = TrendForm(request.POST or None, choices=visible, initial=initial)
    back = _trend_back(request)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
        try:
            services.trend_update(entry=entry, actor=request.user, **data)
        except ServiceError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "동향을 저장했습니다.")
            return redirect(back)
    return form_page(
        request, form, title="동향 수정", initiative=None, back=back, crumb=("동향 기록", reverse("initiatives:trends"))
    )


@login_required
@require_POST
def trend_delete(request: HttpRequest, item_id: int) -> HttpResponse:
    entry: TrendEntry = trends.get_visible_or_404(request.user, pk=item_id)
    trends.check(request.user, MANAGE, entry)
    services.trend_delete(entry=entry, actor=request.user)
    messages.success(request, f"동향 '{entry.title}'을(를) 지웠습니다.")
    return redirect(_trend_back(request))

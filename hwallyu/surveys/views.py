"""Back-office pages of the satisfaction survey (audit team, planning office, executives read)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from hwallyu.api.base import ServiceError
from hwallyu.core.documents import report_response
from hwallyu.surveys import reports, selectors, services
from hwallyu.surveys.forms import (
    ImportForm,
    OptOutForm,
    QuestionFormSet,
    SurveyCreateForm,
    SurveySettingsForm,
    TemplateCreateForm,
    default_year,
)
from hwallyu.surveys.models import IncentiveEntry, OptOut, RegisterImport, Survey, SurveyTemplate
from hwallyu.surveys.policies import MANAGE, VIEW, survey_policy

HTMX_STOP_POLLING = 286


def _survey(request: HttpRequest, survey_id: int, action: str = VIEW) -> Survey:
    survey = survey_policy.get_visible_or_404(request.user, id=survey_id)
    survey_policy.check(request.user, action, survey)
    return survey


def _crumbs(survey: Survey | None = None, *tail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [("행정만족도 조사", reverse("surveys:list"))]
    if survey is not None:
        crumbs.append((survey.title, reverse("surveys:detail", args=[survey.id])))
    return crumbs + list(tail)


def _fail(request: HttpRequest, exc: ServiceError) -> None:
    messages.error(request, exc.message)


@login_required
@require_http_methods(["GET", "POST"])
def survey_list(request: HttpRequest) -> HttpResponse:
    survey_policy.check(request.user, VIEW)
    can_manage = survey_policy.can(request.user, MANAGE)
    form = SurveyCreateForm(request.POST or None, initial={"year": default_year()})
    if request.method == "POST":
        survey_policy.check(request.user, MANAGE)
        if form.is_valid():
            try:
                survey = services.survey_create(
                    year=form.cleaned_data["year"],
                    quarter=form.cleaned_data["quarter"],
                    title=form.cleaned_data["title"],
                    template=form.cleaned_data["template"],
                    actor=request.user,
                )
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "조사 회차를 만들었습니다. 설정과 문항을 확인한 뒤 시작하세요.")
                return redirect("surveys:detail", survey.id)
    return render(
        request,
        "surveys/list.html",
        {
            "surveys": selectors.surveys_for(request.user),
            "form": form,
            "can_manage": can_manage,
            "breadcrumbs": [("행정만족도 조사", None)],
        },
    )


@login_required
def survey_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _survey(request, survey_id)
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "register": selectors.register_summary(survey),
            "summary": selectors.response_summary(survey),
            "questions": survey.questions.all(),
            "imports": selectors.imports_of(survey)[:5],
            "can_manage": survey_policy.can(request.user, MANAGE),
            "breadcrumbs": _crumbs(None, (survey.title, None)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_settings(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _survey(request, survey_id, MANAGE)
    form = SurveySettingsForm(request.POST or None, instance=Survey.objects.get(id=survey.id))
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(
                survey=survey, data={f: form.cleaned_data[f] for f in form.Meta.fields}, actor=request.user
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "설정을 저장했습니다.")
            return redirect("surveys:detail", survey.id)
    return render(
        request,
        "surveys/settings.html",
        {"survey": survey, "form": form, "breadcrumbs": _crumbs(survey, ("설정", None))},
    )


def _question_rows(formset: Any) -> list[dict[str, Any]]:
    rows = []
    for f in formset.forms:
        data = f.cleaned_data
        if not data or data.get("DELETE"):
            continue
        rows.append({k: v for k, v in data.items() if k != "DELETE"})
    return sorted(rows, key=lambda r: r["order"])


def _questions_page(request: HttpRequest, owner: Survey | SurveyTemplate, back: str, crumbs: list[Any]) -> HttpResponse:
    editable = not isinstance(owner, Survey) or owner.status == "draft"
    initial = [
        {
            "code": q.code,
            "label": q.label,
            "kind": q.kind,
            "order": q.order,
            "required": q.required,
            "is_bribe": q.is_bribe,
        }
        for q in owner.questions.all()
    ]
    formset = QuestionFormSet(request.POST or None, initial=initial, prefix="q")
    if request.method == "POST" and editable and formset.is_valid():
        try:
            services.questions_save(owner=owner, rows=_question_rows(formset), actor=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "문항을 저장했습니다.")
            return redirect(back)
    return render(
        request,
        "surveys/questions.html",
        {"owner": owner, "formset": formset, "editable": editable, "breadcrumbs": crumbs},
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_questions(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _survey(request, survey_id, MANAGE)
    return _questions_page(
        request, survey, reverse("surveys:detail", args=[survey.id]), _crumbs(survey, ("문항", None))
    )


@login_required
@require_POST
def survey_open(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _survey(request, survey_id, MANAGE)
    try:
        services.survey_open(survey=survey, actor=request.user)
        messages.success(request, "조사를 시작했습니다. 명부를 가져온 뒤 안내를 보내세요.")
    except ServiceError as exc:
        _fail(request, exc)
    return redirect("surveys:detail", survey.id)


@login_required
@require_POST
def survey_close(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _survey(request, survey_id, MANAGE)
    try:
        services.survey_close(survey=survey, actor=request.user)
        messages.success(request, "조사를 종료했습니다. 휴대전화 번호를 모두 지웠습니다(중복 확인용 해시만 남습니다).")
    except ServiceError as exc:
        _fail(request, exc)
    return redirect("surveys:detail", survey.id)


# --- imports --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def survey_imports(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _survey(request, survey_id, MANAGE)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.import_create(
                survey=survey, source=form.cleaned_data["source"], upload=form.cleaned_data["file"], actor=request.user
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("surveys:import_detail", survey.id, record.id)
    return render(
        request,
        "surveys/imports.html",
        {
            "survey": survey,
            "form": form,
            "imports": selectors.imports_of(survey),
            "breadcrumbs": _crumbs(survey, ("명부 가져오기", None)),
        },
    )


@login_required
def import_detail(request: HttpRequest, survey_id: int, import_id: int) -> HttpResponse:
    survey = _survey(request, survey_id, MANAGE)
    record = get_object_or_404(RegisterImport, id=import_id, survey=survey)
    context = {
        "survey": survey,
        "record": record,
        "breadcrumbs": _crumbs(
            survey, ("명부 가져오기", reverse("surveys:imports", args=[survey.id])), (record.filename, None)
        ),
    }
    if getattr(request, "htmx", False):
        response = render(request, "surveys/import_detail.html#progress", context)
        add_never_cache_headers(response)
        if record.finished:
            # Stop polling; the client reloads to show the final state with its error list.
            response.status_code = HTMX_STOP_POLLING
            response["HX-Refresh"] = "true"
        return response
    return render(request, "surveys/import_detail.html", context)


# --- invitations -------------------------------------------------------------------------------------


@login_required
@require_POST
def invitations_send(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _survey(request, survey_id, MANAGE)
    try:
        result = services.invitations_send(survey=survey, actor=request.user)
    except ServiceError as exc:
        _fail(request, exc)
    else:
        if result.queued:
            messages.success(
                request,
                f"안내 {result.queued:,}건을 발송 대기열에 넣었습니다(새로 준비 {result.prepared:,}건). "
                f"발송은 {result.starts_at:%Y-%m-%d %H:%M}부터 허용 시간 안에서 진행됩니다.",
            )
        else:
            messages.warning(request, "새로 보낼 대상이 없습니다. 명부와 대상 조건을 확인하세요.")
    return redirect("surveys:detail", survey.id)


# --- results ---------------------------------------------------------------------------------------


@login_required
def survey_results(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _survey(request, survey_id)
    data = selectors.results(survey)
    for rows in data["groups"].values():
        # Scores as text once here: a department table has hundreds of cells, and formatting each
        # Decimal through the template's localisation costs more than the rest of the page.
        for r in rows:
            r["score_texts"] = ["-" if s is None else str(s) for s in r["scores"]]
            r["overall_text"] = "" if r["overall"] is None else str(r["overall"])
    charts = {
        "items": selectors.chart_items(data["items"]),
        "department": selectors.chart_groups(data["groups"]["department"]),
        "trend": selectors.chart_trend(data["trend"]),
    }
    return render(
        request,
        "surveys/results.html",
        {**data, "charts": charts, "breadcrumbs": _crumbs(survey, ("결과", None))},
    )


@login_required
def survey_report(request: HttpRequest, survey_id: int, fmt: str) -> HttpResponse:
    survey = _survey(request, survey_id)
    if fmt not in ("hwpx", "xlsx"):
        raise Http404
    return report_response(reports.results_report(survey), fmt, f"{survey.title} 결과")


# --- incentives --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def survey_incentives(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _survey(request, survey_id, MANAGE)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "select":
                n = services.incentives_select(survey=survey, actor=request.user)
                messages.success(request, f"{n}명을 선정했습니다.")
            elif action == "pay":
                entry = get_object_or_404(IncentiveEntry, id=request.POST.get("entry"), survey=survey)
                services.incentive_pay(
                    survey=survey, entry=entry, actor=request.user, note=request.POST.get("note", "")
                )
                messages.success(request, f"응모 번호 {entry.code}에 지급을 기록하고 연락처를 지웠습니다.")
            elif action == "pay_all":
                paid, refusal = services.incentives_pay_all(survey=survey, actor=request.user)
                messages.success(request, f"{paid}명에게 지급을 기록했습니다.")
                if refusal:
                    messages.error(request, refusal)
            elif action == "purge":
                n = services.incentives_purge(survey=survey, actor=request.user)
                messages.success(request, f"남은 연락처 {n}건을 지웠습니다.")
            else:
                messages.error(request, "알 수 없는 작업입니다.")
        except ServiceError as exc:
            _fail(request, exc)
        return redirect("surveys:incentives", survey.id)
    return render(
        request,
        "surveys/incentives.html",
        {
            "survey": survey,
            "summary": selectors.incentive_summary(survey),
            "winners": selectors.winners(survey),
            "payouts": selectors.payouts(survey)[:200],
            "breadcrumbs": _crumbs(survey, ("인센티브", None)),
        },
    )


# --- templates and opt-outs ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def template_list(request: HttpRequest) -> HttpResponse:
    survey_policy.check(request.user, MANAGE)
    services.default_template()
    form = TemplateCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = services.template_create(name=form.cleaned_data["name"], actor=request.user)
        except ServiceError as exc:
            form.add_error("name", exc.message)
        else:
            return redirect("surveys:template_questions", template.id)
    return render(
        request,
        "surveys/templates.html",
        {
            "templates": SurveyTemplate.objects.prefetch_related("questions"),
            "form": form,
            "breadcrumbs": _crumbs(None, ("문항 템플릿", None)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_questions(request: HttpRequest, template_id: int) -> HttpResponse:
    survey_policy.check(request.user, MANAGE)
    template = get_object_or_404(SurveyTemplate, id=template_id)
    crumbs = _crumbs(None, ("문항 템플릿", reverse("surveys:templates")), (template.name, None))
    return _questions_page(request, template, reverse("surveys:templates"), crumbs)


@login_required
@require_http_methods(["GET", "POST"])
def optouts(request: HttpRequest) -> HttpResponse:
    survey_policy.check(request.user, MANAGE)
    form = OptOutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.optout_add(phone=form.cleaned_data["phone"], via="staff", actor=request.user):
            messages.success(request, "수신 거부 번호로 등록했습니다. 이 번호에는 더 이상 안내하지 않습니다.")
            return redirect("surveys:optouts")
        form.add_error("phone", "휴대전화 번호 형식이 아닙니다(예: 010-1234-5678).")
    return render(
        request,
        "surveys/optouts.html",
        {"form": form, "count": OptOut.objects.count(), "breadcrumbs": _crumbs(None, ("수신 거부 번호", None))},
    )

"""Case handling for designated handlers: key set-up and unlock, the case list, a case."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_POST

from hwallyu.api.base import ServiceError
from hwallyu.core.documents import content_disposition
from hwallyu.integrity import unlock
from hwallyu.integrity.demo import DEMO_PASSPHRASES
from hwallyu.integrity.forms import (
    ActionForm,
    AdvanceForm,
    AssignForm,
    KeyCreateForm,
    MessageForm,
    PassphraseChangeForm,
    PassphraseForm,
)
from hwallyu.integrity.models import Case, CaseAttachment, HandlerKey, Step
from hwallyu.integrity.policies import (
    MANAGE_HANDLERS,
    REVOKE,
    VIEW_HANDLERS,
    case_policy,
    handler_key_of,
    is_audit,
    is_designated,
)
from hwallyu.integrity.selectors import cases as select_cases
from hwallyu.integrity.selectors import designated_keys, handler_keys, is_overdue, office_key
from hwallyu.integrity.services import cases as case_services
from hwallyu.integrity.services import keys as key_services
from hwallyu.org import selectors as org
from hwallyu.org.models import Role

CASES = ("청렴 상담·신고 사건", None)
CASES_PER_PAGE = 50


def _unlocked_key(request: HttpRequest) -> bytes | None:
    key = handler_key_of(request.user)
    if key is None:
        return None
    return unlock.private_key(request, handler_key_id=key.pk, public_key=bytes(key.public_key))


def _error(request: HttpRequest, exc: ServiceError) -> None:
    messages.error(request, exc.message)


def _require_audit(request: HttpRequest) -> None:
    if not is_audit(request.user):
        raise PermissionDenied("감사팀의 청렴 상담·신고 담당자만 쓸 수 있는 화면입니다.")


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


# --- key ---------------------------------------------------------------------------------------


@login_required
@require_GET
def key(request: HttpRequest) -> HttpResponse:
    _require_audit(request)
    handler_key = handler_key_of(request.user)
    unlocked = _unlocked_key(request) is not None
    demo = DEMO_PASSPHRASES.get(request.user.get_username()) if settings.DEMO_MODE else None
    return render(
        request,
        "integrity/key.html",
        {
            "handler_key": handler_key,
            "unlocked": unlocked,
            "minutes_left": (unlock.seconds_left(request) + 59) // 60 if unlocked else 0,
            "unlock_minutes": unlock.unlock_seconds() // 60,
            "create_form": KeyCreateForm(),
            "unlock_form": PassphraseForm(),
            "change_form": PassphraseChangeForm(),
            "demo_passphrase": demo,
            "next": _safe_next(request, ""),
            "min_length": key_services.MIN_PASSPHRASE,
            "breadcrumbs": [CASES, ("담당자 키", None)],
        },
    )


@login_required
@require_POST
def key_create(request: HttpRequest) -> HttpResponse:
    _require_audit(request)
    form = KeyCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("integrity:key")
    try:
        created = key_services.handler_key_create(actor=request.user, passphrase=form.cleaned_data["passphrase"])
    except ServiceError as exc:
        _error(request, exc)
        return redirect("integrity:key")
    if created.designated:
        messages.success(request, "담당자 키를 만들었습니다. 첫 담당자로 지정되었습니다.")
    else:
        messages.success(request, "담당자 키를 만들었습니다. 지정된 담당자가 사건을 넘겨주면(지정) 열람할 수 있습니다.")
    return redirect("integrity:key")


@login_required
@require_POST
def key_unlock(request: HttpRequest) -> HttpResponse:
    _require_audit(request)
    form = PassphraseForm(request.POST)
    target = _safe_next(request, reverse("integrity:case_list"))
    if not form.is_valid():
        messages.error(request, "암호문구를 입력해 주세요.")
        return redirect("integrity:key")
    try:
        handler_key, private = key_services.handler_unlock(
            actor=request.user, passphrase=form.cleaned_data["passphrase"]
        )
    except ServiceError as exc:
        _error(request, exc)
        return redirect(f"{reverse('integrity:key')}?next={target}")
    response = redirect(target)
    unlock.remember(request, response, private_key=private, handler_key_id=handler_key.pk)
    messages.success(request, f"잠금을 해제했습니다. {unlock.unlock_seconds() // 60}분 동안 열람할 수 있습니다.")
    return response


@login_required
@require_POST
def key_lock(request: HttpRequest) -> HttpResponse:
    response = redirect("integrity:key")
    unlock.forget(request, response)
    messages.success(request, "담당자 키를 잠갔습니다.")
    return response


@login_required
@require_POST
def key_passphrase(request: HttpRequest) -> HttpResponse:
    _require_audit(request)
    form = PassphraseChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("integrity:key")
    try:
        key_services.handler_passphrase_change(
            actor=request.user,
            old_passphrase=form.cleaned_data["old_passphrase"],
            new_passphrase=form.cleaned_data["passphrase"],
        )
    except ServiceError as exc:
        _error(request, exc)
    else:
        messages.success(request, "암호문구를 바꿨습니다.")
    return redirect("integrity:key")


# --- handlers -----------------------------------------------------------------------------------


@login_required
@require_GET
def handlers(request: HttpRequest) -> HttpResponse:
    if not case_policy.can(request.user, VIEW_HANDLERS):
        raise PermissionDenied
    keys = list(handler_keys())
    with_key = {k.user_id for k in keys}
    without_key = [u for u in org.users_with_role(Role.AUDIT) if u.pk not in with_key]
    return render(
        request,
        "integrity/handlers.html",
        {
            "keys": keys,
            "without_key": without_key,
            "can_manage": case_policy.can(request.user, MANAGE_HANDLERS),
            "can_revoke": case_policy.can(request.user, REVOKE),
            "unlocked": _unlocked_key(request) is not None,
            "office_key": office_key(),
            "breadcrumbs": [CASES, ("지정 담당자", None)],
        },
    )


@login_required
@require_POST
def handler_designate(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(HandlerKey.objects.select_related("user"), pk=pk)
    try:
        result = key_services.handler_designate(
            actor=request.user, actor_private_key=_unlocked_key(request), handler_key=target
        )
    except ServiceError as exc:
        _error(request, exc)
    else:
        name = target.user.get_full_name() or target.user.get_username()
        text = f"{name}님을 담당자로 지정하고 사건 {result.resealed}건을 넘겼습니다."
        if result.missing:
            text += f" {result.missing}건은 내 키로 열 수 없어 넘기지 못했습니다(복구 키로 재봉인 필요)."
        messages.success(request, text)
    return redirect("integrity:handlers")


@login_required
@require_POST
def handler_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(HandlerKey.objects.select_related("user"), pk=pk)
    try:
        key_services.handler_revoke(actor=request.user, handler_key=target)
    except ServiceError as exc:
        _error(request, exc)
    else:
        messages.success(request, "담당자 지정을 해제하고 그 키로 봉인된 사본을 지웠습니다.")
    return redirect("integrity:handlers")


# --- cases ----------------------------------------------------------------------------------------


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    _require_audit(request)
    if not is_designated(request.user):
        return render(
            request,
            "integrity/not_designated.html",
            {"handler_key": handler_key_of(request.user), "breadcrumbs": [CASES]},
            status=403,
        )
    step = request.GET.get("step") or ""
    if step not in Step.values:
        step = ""
    qs = select_cases(case_policy.scope(request.user), step=step or None)
    page = Paginator(qs, CASES_PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [{"case": c, "overdue": is_overdue(c, now)} for c in page]
    return render(
        request,
        "integrity/case_list.html",
        {
            "rows": rows,
            "page": page,
            "query_string": urlencode({"step": step}) if step else "",
            "steps": Step.choices,
            "step": step,
            "unlocked": _unlocked_key(request) is not None,
            "breadcrumbs": [CASES],
        },
    )


def _case_or_404(request: HttpRequest, number: str) -> Case:
    _require_audit(request)
    if not is_designated(request.user):
        raise PermissionDenied("지정된 담당자 키가 없어 사건을 볼 수 없습니다.")
    return case_policy.get_visible_or_404(request.user, number=number)


@login_required
@require_GET
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)
    private = _unlocked_key(request)
    content = None
    refusal = ""
    if private is None:
        refusal = "담당자 키가 잠겨 있어 내용은 보이지 않습니다. 암호문구로 잠금을 해제하면 볼 수 있습니다."
    else:
        try:
            content = case_services.case_open(case=case, actor=request.user, private_key=private)
        except ServiceError as exc:
            refusal = exc.message
    return render(
        request,
        "integrity/case_detail.html",
        {
            "case": case,
            "content": content,
            "unlocked": private is not None,
            "refusal": refusal,
            "steps": case.steps.all(),
            "overdue": is_overdue(case),
            "message_form": MessageForm(),
            "advance_form": AdvanceForm(current=case.step),
            "assign_form": AssignForm(
                initial={"assignee": str(case.assignee_id or "")}, handlers=[k.user for k in designated_keys()]
            ),
            "action_form": ActionForm(
                initial={"action_kind": case.action_kind or None, "detail": content.action_detail if content else ""}
            ),
            "breadcrumbs": [("청렴 상담·신고 사건", reverse("integrity:case_list")), (str(case.number), None)],
        },
    )


def _post(
    request: HttpRequest, number: str, form_class: type, handle: Any, success: str, **form_kwargs: Any
) -> HttpResponse:
    case = _case_or_404(request, number)
    form = form_class(request.POST, **{k: (v(case) if callable(v) else v) for k, v in form_kwargs.items()})
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    else:
        try:
            handle(case, form.cleaned_data)
        except ServiceError as exc:
            _error(request, exc)
        else:
            messages.success(request, success)
    return redirect("integrity:case_detail", number=case.number)


@login_required
@require_POST
def case_message(request: HttpRequest, number: str) -> HttpResponse:
    return _post(
        request,
        number,
        MessageForm,
        lambda case, d: case_services.case_message_add(case=case, actor=request.user, kind=d["kind"], body=d["body"]),
        "저장했습니다.",
    )


@login_required
@require_POST
def case_advance(request: HttpRequest, number: str) -> HttpResponse:
    return _post(
        request,
        number,
        AdvanceForm,
        lambda case, d: case_services.case_advance(
            case=case, actor=request.user, to_step=d["to_step"], result=d["result"]
        ),
        "단계를 옮겼습니다.",
        current=lambda case: case.step,
    )


@login_required
@require_POST
def case_assign(request: HttpRequest, number: str) -> HttpResponse:
    users = {str(k.user_id): k.user for k in designated_keys()}

    def handle(case: Case, data: dict[str, Any]) -> None:
        case_services.case_assign(case=case, actor=request.user, assignee=users.get(data["assignee"]))

    return _post(request, number, AssignForm, handle, "담당자를 배정했습니다.", handlers=list(users.values()))


@login_required
@require_POST
def case_action(request: HttpRequest, number: str) -> HttpResponse:
    return _post(
        request,
        number,
        ActionForm,
        lambda case, d: case_services.case_record_action(
            case=case, actor=request.user, action_kind=d["action_kind"], detail=d["detail"]
        ),
        "조치 내용을 저장했습니다.",
    )


@login_required
@require_GET
def attachment(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    case = _case_or_404(request, number)
    item = get_object_or_404(CaseAttachment, case=case, pk=pk)
    try:
        meta, data = case_services.attachment_read(
            attachment=item, actor=request.user, private_key=_unlocked_key(request)
        )
    except ServiceError as exc:
        _error(request, exc)
        return redirect("integrity:case_detail", number=case.number)
    response = HttpResponse(data, content_type=meta.get("content_type") or "application/octet-stream")
    response["Content-Disposition"] = content_disposition(meta.get("name") or "첨부파일")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

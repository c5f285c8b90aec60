"""The citizen's answer page ``/s/<token>``: no login, no cookies, one answer per link.

Forgery protection works without a session cookie: the unguessable token in the path is the
credential, the form carries an HMAC nonce bound to that token and the time the form was shown,
and a cross-site ``Origin`` is refused.  The access log writes no line for ``/s/`` (see
``HWALLYU_ANONYMOUS_PATH_PREFIXES``), and nothing on these pages calls for a cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hwallyu.surveys import services
from hwallyu.surveys.forms import AnswerForm
from hwallyu.surveys.services import AnswerRefused

NONCE_MAX_AGE = 24 * 3600
STATUS = {"unknown": 404, "expired": 410, "closed": 410, "answered": 200}


def _key() -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), b"hwallyu.surveys.form-nonce.v1", hashlib.sha256).digest()


def _sign(token: str, shown: str) -> str:
    return hmac.new(_key(), f"{token}:{shown}".encode(), hashlib.sha256).hexdigest()[:32]


def make_nonce(token: str, survey_id: int, incentive: bool, now: float | None = None) -> str:
    """The form's nonce: when it was shown, and the round and incentive choice it was shown with, signed for
    this link. The answer POST learns the round from it, so a valid form can be stored without reading the
    link first (``services.answer_unread``)."""
    shown = f"{int(now if now is not None else time.time())}.{int(survey_id)}.{int(bool(incentive))}"
    return f"{shown}.{_sign(token, shown)}"


def read_nonce(token: str, nonce: str, now: float | None = None) -> tuple[int, bool] | None:
    """The round and incentive choice a form for ``token`` was shown with; None for a forged or stale nonce."""
    parts = (nonce or "").split(".")
    if len(parts) != 4 or not all(p.isdigit() for p in parts[:3]) or parts[2] not in ("0", "1"):
        return None
    stamp, survey_id, incentive, sig = parts
    age = (now if now is not None else time.time()) - int(stamp)
    if not 0 <= age <= NONCE_MAX_AGE:
        return None
    if not hmac.compare_digest(_sign(token, f"{stamp}.{survey_id}.{incentive}"), sig):
        return None
    return int(survey_id), incentive == "1"


def nonce_ok(token: str, nonce: str, now: float | None = None) -> bool:
    return read_nonce(token, nonce, now) is not None


def origin_ok(request: HttpRequest) -> bool:
    """A browser's ``Origin`` (or, without one, its ``Referer``) must be this site.

    ``Origin: null`` and no header at all say nothing: the HMAC nonce, which only a page shown for
    this token carries, still has to match.
    """
    allowed = {request.get_host(), urlsplit(settings.SITE_URL).netloc}
    allowed.update(urlsplit(o).netloc for o in settings.CSRF_TRUSTED_ORIGINS)
    origin = request.headers.get("Origin", "")
    if origin and origin != "null":
        return urlsplit(origin).netloc in allowed
    referer = request.headers.get("Referer", "")
    if referer:
        return urlsplit(referer).netloc in allowed
    return True


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"  # the token in the URL never leaks to another site
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    # the shell's context processor adds city_name
    return _no_store(render(request, template, context, status=status))


def _refused(request: HttpRequest, exc: AnswerRefused, *, status: int | None = None) -> HttpResponse:
    return _page(
        request,
        "surveys/public/message.html",
        {"title": "행정만족도 조사", "message": exc.message, "reason": exc.reason},
        status=status or STATUS[exc.reason],
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
@services.retry_when_locked
def answer(request: HttpRequest, token: str) -> HttpResponse:
    posted = request.method == "POST"
    shown = read_nonce(token, request.POST.get("nonce", "")) if posted else None
    # A forged or stale form is refused before anything is read (no database work for it).
    if posted and (not origin_ok(request) or shown is None):
        return _page(
            request,
            "surveys/public/message.html",
            {
                "title": "다시 시도해 주세요",
                "message": "설문 화면이 오래되었거나 올바르지 않은 요청입니다. 링크를 다시 열어 응답해 주세요.",
            },
            status=403,
        )
    if shown is not None and (stored := _store_unread(request, token, *shown)) is not None:
        return stored
    try:
        invitation = services.invitation_for_token(token)
    except AnswerRefused as exc:
        # a second submit (also one racing the first) is refused politely
        return _refused(request, exc, status=409 if posted and exc.reason == "answered" else None)
    survey = invitation.survey
    form = AnswerForm(
        request.POST if posted else None,
        questions=services.open_questions(survey),
        incentive=survey.incentive_enabled,
    )
    if posted and form.is_valid():
        values, texts = form.values()
        contact = form.cleaned_data.get("contact", "") if form.cleaned_data.get("incentive") else ""
        try:
            services.answer_submit(
                token=token, values=values, texts=texts, incentive_contact=contact, invitation=invitation
            )
        except AnswerRefused as exc:
            return _refused(request, exc, status=409 if exc.reason == "answered" else None)
        return _answered(token, incentive=bool(contact))
    return _page(
        request,
        "surveys/public/answer.html",
        {
            "survey": survey,
            "form": form,
            "token": token,
            "nonce": make_nonce(token, survey.id, survey.incentive_enabled),
            "petition_type": invitation.petition_type,
            "expires_at": invitation.expires_at,
        },
    )


def _answered(token: str, *, incentive: bool) -> HttpResponse:
    # Post/Redirect/Get: reloading the thank-you page never submits the form again.
    done = reverse("survey_public:done", args=[token]) + ("?incentive=1" if incentive else "")
    return _no_store(HttpResponseRedirect(done, status=303))


def _store_unread(request: HttpRequest, token: str, survey_id: int, incentive: bool) -> HttpResponse | None:
    """The common answer, stored without reading its link first (see ``services.answer_unread``).

    None sends the request down the full path, which reads the link: where the database cannot do it in one
    statement, before this process has read the round's questions, for a form with errors to show, and for a
    citizen who asks for the incentive (checked against the round's current setting there)."""
    questions = services.known_open_questions(survey_id) if services.answers_skip_link_read() else None
    if questions is None:
        return None
    form = AnswerForm(request.POST, questions=questions, incentive=incentive)
    if not form.is_valid() or form.cleaned_data.get("incentive"):
        return None
    values, texts = form.values()
    try:
        services.answer_unread(token=token, values=values, texts=texts)
    except AnswerRefused as exc:
        return _refused(request, exc, status=409 if exc.reason == "answered" else None)
    return _answered(token, incentive=False)


@require_GET
def done(request: HttpRequest, token: str) -> HttpResponse:
    """The thank-you page the answer POST redirects to; a link not yet answered goes back to its form."""
    if not services.invitation_answered(token):
        return _no_store(HttpResponseRedirect(reverse("survey_public:answer", args=[token]), status=303))
    return _page(
        request,
        "surveys/public/message.html",
        {
            "title": "응답해 주셔서 감사합니다",
            "message": "소중한 의견은 더 나은 행정서비스를 위해 쓰겠습니다.",
            "reason": "thanks",
            "incentive": request.GET.get("incentive") == "1",
        },
    )


@csrf_exempt
@require_POST
def optout(request: HttpRequest, token: str) -> HttpResponse:
    if not origin_ok(request) or not nonce_ok(token, request.POST.get("nonce", "")):
        return _page(
            request,
            "surveys/public/message.html",
            {"title": "다시 시도해 주세요", "message": "올바르지 않은 요청입니다. 링크를 다시 열어 주세요."},
            status=403,
        )
    if not services.optout_by_token(token=token):
        return _refused(request, AnswerRefused("unknown"))
    return _page(
        request,
        "surveys/public/message.html",
        {"title": "안내를 멈췄습니다", "message": "이 번호로는 더 이상 행정만족도 조사 안내를 보내지 않습니다."},
    )

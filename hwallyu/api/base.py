"""The REST API (django-ninja) under /api/v1: authentication and Korean error answers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from hwallyu.accounts.services import api_token_user, owes_second_factor


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` with a personal API token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


class VerifiedSession(SessionAuth):
    """The browser session; a user whose role requires two-factor sign-in must have passed it."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and owes_second_factor(user):
            return None
        return user


AUTH = [BearerToken(), VerifiedSession()]


class ServiceError(Exception):
    """A business rule refused the request; the message is for the user (Korean)."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


_FIELD_NAMES = {"start": "시작 시각", "days": "일수", "rule": "규칙"}


def _describe(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("query", "body", "path", "form", "payload")]
        field = loc[-1] if loc else ""
        label = _FIELD_NAMES.get(field, field)
        kind = err.get("type", "")
        if kind == "missing":
            msg = f"{label} 값이 필요합니다."
        elif kind.startswith("datetime") or kind.startswith("date"):
            msg = f"{label}: 날짜·시각 형식(ISO 8601, 예: 2024-09-13T10:00:00+09:00)이 아닙니다."
        elif kind.startswith("int") or kind.startswith("float") or kind.startswith("decimal"):
            msg = f"{label}: 숫자가 아닙니다."
        elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
            msg = f"{label}: 허용 범위를 벗어났습니다."
        elif kind in ("enum", "literal_error"):
            msg = f"{label}: 허용되지 않는 값입니다."
        else:
            msg = f"{label}: 올바른 값이 아닙니다." if label else "요청 형식이 올바르지 않습니다."
        out.append({"field": ".".join(loc), "message": msg})
    return out


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="환류 API",
        version="1",
        description="기획감사실 업무관리 시스템 환류(Hwallyu)의 REST API. 인증: `Authorization: Bearer <토큰>`.",
        urls_namespace="api",
        auth=AUTH,
    )

    @api.exception_handler(NinjaValidationError)
    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = _describe(exc.errors)
        detail = " ".join(e["message"] for e in errors) or "요청 형식이 올바르지 않습니다."
        return api.create_response(request, {"detail": detail, "errors": errors}, status=422)

    @api.exception_handler(ServiceError)
    def on_service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
        return api.create_response(request, {"detail": exc.message}, status=exc.status)

    @api.exception_handler(DjangoValidationError)
    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return api.create_response(request, {"detail": " ".join(exc.messages)}, status=422)

    @api.exception_handler(AuthenticationError)
    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(request, {"detail": "인증이 필요합니다. 토큰을 확인하세요."}, status=401)

    @api.exception_handler(PermissionDenied)
    def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc) or "권한이 없습니다."}, status=403)

    @api.exception_handler(Http404)
    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": "찾을 수 없습니다."}, status=404)

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)

    return api

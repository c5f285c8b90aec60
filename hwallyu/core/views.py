from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader

from hwallyu.core.navigation import dashboard_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"blocks": dashboard_for(request.user)})


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
        body = f"<!DOCTYPE html><html lang='ko'><title>{title}</title><h1>{title}</h1><p>{message}</p></html>"
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

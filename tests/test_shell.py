"""The page shell every screen shares: header, navigation, skip link, bell and the error pages."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path, reverse

from hwallyu.urls import handler400, handler403, handler404, handler500  # noqa: F401 - looked up on ROOT_URLCONF
from hwallyu.urls import urlpatterns as project_urlpatterns


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


def _suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("bad")


urlpatterns = [
    *project_urlpatterns,
    path("test-shell/forbidden/", _forbidden),
    path("test-shell/broken/", _broken),
    path("test-shell/suspicious/", _suspicious),
]


@pytest.fixture
def error_urls(settings):  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__


def _assert_korean_error_page(html: str, status: int, title: str) -> None:
    assert '<html lang="ko-KR">' in html
    assert f"오류 {status}" in html
    assert title in html
    assert "처음 화면으로" in html
    assert "Traceback" not in html and "RuntimeError" not in html
    assert 'href="#main-content"' in html  # the shell with its skip link, not a bare page


@pytest.mark.django_db
def test_404_page_in_korean(client, org, error_urls):
    client.force_login(org.staff)
    response = client.get("/없는-주소/")
    assert response.status_code == 404
    _assert_korean_error_page(response.content.decode(), 404, "페이지를 찾을 수 없습니다")


@pytest.mark.django_db
def test_403_page_in_korean(client, org, error_urls):
    client.force_login(org.staff)
    response = client.get("/test-shell/forbidden/")
    assert response.status_code == 403
    _assert_korean_error_page(response.content.decode(), 403, "권한이 없습니다")


@pytest.mark.django_db
def test_500_page_in_korean(org, error_urls):
    client = Client(raise_request_exception=False)
    client.force_login(org.staff)
    response = client.get("/test-shell/broken/")
    assert response.status_code == 500
    _assert_korean_error_page(response.content.decode(), 500, "일시적인 오류가 발생했습니다")


@pytest.mark.django_db
def test_400_page_in_korean(error_urls):
    response = Client(raise_request_exception=False).get("/test-shell/suspicious/")
    assert response.status_code == 400
    _assert_korean_error_page(response.content.decode(), 400, "잘못된 요청입니다")


@pytest.mark.django_db
def test_expired_csrf_token_page_in_korean(org, error_urls):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.staff)
    response = client.post(reverse("notifications:read_all"))
    assert response.status_code == 403
    _assert_korean_error_page(response.content.decode(), 403, "요청이 만료되었습니다")


@pytest.mark.django_db
def test_shell_for_a_signed_in_user(client, org):
    org.city.name = "환류시"
    org.city.save()
    client.force_login(org.planner)

    response = client.get(reverse("notifications:list"))
    html = response.content.decode()

    assert '<html lang="ko-KR">' in html
    assert '<a href="#main-content">본문 바로가기</a>' in html
    assert '<main id="main-content"' in html
    assert '<span class="hw-brand-city">환류시</span>' in html
    # Side navigation, with the current page marked, and the button that opens it on phones.
    assert 'id="hw-sidenav"' in html
    assert re.search(r'<a href="/notifications/" class="lnb-btn lnb-link selected" aria-current="page">', html)
    assert 'aria-controls="hw-sidenav"' in html
    # Breadcrumbs: home, then the page.
    assert 'aria-label="현재 경로"' in html
    assert '<span class="txt" aria-current="page">알림</span>' in html
    # Sign-out is a POST form; the role is shown next to the name.
    assert f'action="{reverse("accounts:logout")}"' in html
    assert "기획감사실" in html


@pytest.mark.django_db
def test_no_inline_scripts_and_a_strict_csp(client, org):
    client.force_login(org.manager)
    response = client.get(reverse("core:home"))
    html = response.content.decode()

    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts, "the shell loads htmx and app.js"
    assert all("src=" in tag for tag in scripts), scripts
    assert not re.search(r"\son[a-z]+=", html), "inline event handlers are blocked by the CSP"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


@pytest.mark.django_db
def test_sign_in_page_has_no_menu_or_bell(client, org):
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'id="hw-sidenav"' not in html
    assert "hw-bell" not in html
    assert "본문 바로가기" in html


@pytest.mark.django_db
def test_500_page_keeps_the_krds_look_when_the_shell_cannot_load(org, error_urls, monkeypatch):
    # The database is gone: the menu, city name and bell cannot be looked up.
    def broken_shell(request):  # type: ignore[no-untyped-def]
        raise RuntimeError("database unavailable")

    monkeypatch.setattr("hwallyu.core.context_processors.shell", broken_shell)
    client = Client(raise_request_exception=False)
    client.force_login(org.staff)

    response = client.get("/test-shell/broken/")

    assert response.status_code == 500
    html = response.content.decode()
    _assert_korean_error_page(html, 500, "일시적인 오류가 발생했습니다")
    assert "krds/resources/css/component/output.css" in html
    assert 'class="hw-user"' not in html  # rendered without the request's shell values


@pytest.mark.django_db
def test_anonymous_404_sets_no_cookie(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "페이지를 찾을 수 없습니다" in response.content.decode()
    assert not response.cookies


@pytest.mark.django_db
def test_year_pages_mark_their_yearless_menu_entry_current(client, org):
    from hwallyu.workplan import services as workplan_services

    workplan_services.plan_create(year=2024, actor=org.planner)
    client.force_login(org.planner)
    html = client.get("/workplan/2024/budget/").content.decode()
    current = [line for line in html.splitlines() if 'aria-current="page"' in line and "lnb-link" in line]
    assert len(current) == 1
    assert "사업비 조서" in current[0]

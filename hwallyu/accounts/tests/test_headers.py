"""Security headers on pages, and templates with no inline script (the CSP forbids it)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

import hwallyu
from hwallyu.accounts.tests.helpers import sign_in

PACKAGE = Path(hwallyu.__file__).resolve().parent


def directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("signed_in", [False, True])
def test_pages_carry_the_security_headers(client, org, signed_in):
    if signed_in:
        sign_in(client, "staff")
        response = client.get(reverse("accounts:settings"))
    else:
        response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    csp = directives(response["Content-Security-Policy"])
    assert "'self'" in csp["script-src"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_session_and_csrf_cookies_are_httponly(client, org):
    client.get(reverse("accounts:login"))
    response = sign_in(client, "staff")
    session = response.cookies["hwallyu_session"]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert client.cookies["csrftoken"]["httponly"] is True


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>\s*[^<\s]", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
HX_ON = re.compile(r"<[a-z][^>]*\shx-on[:-]", re.IGNORECASE)  # htmx inline handlers need 'unsafe-eval'
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def templates():
    found = sorted(p for p in PACKAGE.rglob("templates/**/*.html"))
    assert found, "no templates found"
    return found


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for path in templates():
        text = path.read_text(encoding="utf-8")
        for pattern, what in (
            (INLINE_SCRIPT, "inline <script>"),
            (EVENT_HANDLER, "on*= attribute"),
            (HX_ON, "hx-on attribute"),
            (JS_URL, "javascript: URL"),
        ):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{path.relative_to(PACKAGE)}:{line}: {what}")
    assert not offenders, "\n".join(offenders)


def test_the_checker_catches_what_it_should():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert INLINE_SCRIPT.search('<script type="module">\n import x</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/a.js"></script>')
    assert EVENT_HANDLER.search('<button type="button" onclick="go()">')
    assert EVENT_HANDLER.search("<body onload='x()'>")
    assert not EVENT_HANDLER.search('<a href="/x" data-confirm="ok">')
    assert JS_URL.search('<a href="javascript:void(0)">')
    assert HX_ON.search('<button hx-on:click="go()">')
    assert not HX_ON.search('<form hx-post="/x" hx-target="#y">')

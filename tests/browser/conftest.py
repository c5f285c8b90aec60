"""Browser tests: Playwright (sync API) driving Debian's chromium against pytest-django's live server.

* One chromium per test module; each test gets a fresh browser context, so cookies
  never leak between roles.  Never a downloaded browser: ``/usr/bin/chromium`` (``HWALLYU_CHROMIUM``
  overrides it); without it the tests fail with the apt-get line to run.
* The live server serves /static/ through Django's static files handler (finders), so the pages
  load KRDS, Pretendard, htmx and app.js exactly as in production.
* A failed test leaves a full-page screenshot and the page's HTML in ``test-results/``.
* JavaScript errors and CSP violations on a page fail the test.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("HWALLYU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
SERIOUS = {"serious", "critical"}


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="module")
def browser(django_db_setup: None) -> Iterator[Any]:
    """One chromium per test module (the test database exists before Playwright starts)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop in this thread; the ORM calls a test makes
    # between page actions (and the database flush after each test) are still plain sync code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class PageErrors(list[str]):
    """JavaScript exceptions, console errors (CSP violations are reported there) and failed loads."""


def _console(errors: PageErrors, message: Any) -> None:
    # A failed load is reported by _failed_response with its address.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        errors.append(f"console error: {message.text}")


def _failed_response(errors: PageErrors, response: Any) -> None:
    # A page's own status is what its test asserts; style sheets, scripts, fonts, images and
    # htmx requests must all load.
    if response.status >= 400 and response.request.resource_type != "document":
        errors.append(f"HTTP {response.status}: {response.url}")


def _open_page(browser: Any) -> Any:
    """A page in a fresh browser context (no cookies), recording its console errors in ``hw_errors``."""
    context = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = PageErrors()
    page.on("pageerror", lambda exc: errors.append(f"JavaScript error: {exc}"))
    page.on("console", lambda msg: _console(errors, msg))
    page.on("response", lambda response: _failed_response(errors, response))
    page.hw_errors = errors
    return page


def _close_page(page: Any, request: pytest.FixtureRequest, suffix: str = "") -> list[str]:
    """Close the page's context (a screenshot first when the test failed); its errors when it passed."""
    failed = getattr(request.node, "report_call", None) is not None and request.node.report_call.failed
    if failed:
        RESULTS_DIR.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:] + suffix
        try:
            page.screenshot(path=str(RESULTS_DIR / f"{name}.png"), full_page=True)
            (RESULTS_DIR / f"{name}.html").write_text(page.content(), encoding="utf-8")
        except Exception as exc:  # noqa: BLE001 - a broken page must not hide the test's own failure
            print(f"screenshot failed: {exc}")
    page.context.close()
    return [] if failed else list(page.hw_errors)


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    page = _open_page(browser)
    yield page
    errors = _close_page(page, request)
    assert errors == [], "errors in the browser console:\n" + "\n".join(errors)


@pytest.fixture
def new_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Callable[[], Any]]:
    """Open another page in its own fresh context (no cookies), beside ``page``: a second, signed-out visitor.

    Each gets the same console-error guard and failure screenshot as ``page``.
    """
    pages: list[Any] = []

    def _new() -> Any:
        pages.append(_open_page(browser))
        return pages[-1]

    yield _new
    errors = [e for number, other in enumerate(pages, start=1) for e in _close_page(other, request, f"-{number}")]
    assert errors == [], "errors in the browser console:\n" + "\n".join(errors)


@pytest.fixture
def browser_org(live_server: Any, transactional_db: None) -> Any:
    from hwallyu.core.testing import build_test_org

    return build_test_org()


@pytest.fixture
def sign_in(page: Any, live_server: Any, browser_org: Any) -> Callable[[str], Any]:
    """Sign in through the real login form as one of the ``org`` fixture's roles."""
    from hwallyu.core.testing import PASSWORD

    def _sign_in(role: str) -> Any:
        user = browser_org.users_by_role()[role]
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("아이디").fill(user.username)
        page.get_by_label("비밀번호").fill(PASSWORD)
        page.get_by_role("button", name="로그인").click()
        page.wait_for_url(f"{live_server.url}/")
        return user

    return _sign_in


@pytest.fixture
def assert_accessible(page: Any) -> Callable[[str], None]:
    """Run axe-core (bundled with axe-playwright-python) on the page: no serious or critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def _check(label: str, on: Any = None) -> None:
        target = page if on is None else on  # ``on``: another page, e.g. one from ``new_page``
        before = len(target.hw_errors)
        results = axe.run(target)
        # axe re-fetches the style sheets and resolves KRDS's relative @import against the page's
        # address, not the sheet's: that 404 is axe's own request, not one the page made.
        target.hw_errors[before:] = [e for e in target.hw_errors[before:] if not e.startswith("HTTP 404")]
        bad = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
        if bad:
            lines = [f"axe on {label} ({target.url}):"]
            for violation in bad:
                lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
                lines.extend(f"    {node['html'][:200]}" for node in violation["nodes"][:5])
            pytest.fail("\n".join(lines))

    return _check

"""Test configuration shared by every app: the named users, one per role."""

import os

os.environ.setdefault("HWALLYU_TESTING", "1")

import pytest  # noqa: E402


@pytest.fixture
def org(db):  # type: ignore[no-untyped-def]
    from hwallyu.core.testing import build_test_org

    return build_test_org()


@pytest.fixture(autouse=True)
def _fresh_caches():  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    from hwallyu.core.calendar import reset_calendar_cache
    from hwallyu.surveys.services import reset_question_cache

    cache.clear()
    reset_calendar_cache()
    reset_question_cache()
    yield
    reset_calendar_cache()

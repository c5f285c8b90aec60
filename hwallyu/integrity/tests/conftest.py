"""Fixtures of the integrity tests: designated handlers with keys, the office key, a filed case."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from hwallyu.integrity.limits import guard

PASSPHRASE = "청렴 담당 암호문구 2024 auditor"
PASSPHRASE2 = "두 번째 담당자의 긴 암호문구"


@dataclass
class Handler:
    user: Any
    passphrase: str

    def private_key(self) -> bytes:
        from hwallyu.integrity.services.keys import handler_unlock

        return handler_unlock(actor=self.user, passphrase=self.passphrase)[1]


@pytest.fixture(autouse=True)
def _fresh_guard():  # type: ignore[no-untyped-def]
    guard.reset()
    yield
    guard.reset()


@pytest.fixture
def office(db):  # type: ignore[no-untyped-def]
    from hwallyu.integrity.services.keys import office_key_create

    return office_key_create()


@pytest.fixture
def handler(org, office):  # type: ignore[no-untyped-def]
    from hwallyu.integrity.services.keys import handler_key_create

    handler_key_create(actor=org.auditor, passphrase=PASSPHRASE)
    return Handler(org.auditor, PASSPHRASE)


@pytest.fixture
def second_auditor(org):  # type: ignore[no-untyped-def]
    from hwallyu.core.testing import make_user
    from hwallyu.org.models import Role

    return make_user("auditor2", department=org.planning, role=Role.AUDIT)


def file_case(**overrides: Any) -> tuple[Any, str]:
    from hwallyu.integrity.services.cases import case_file

    values = {
        "kind": "report",
        "category": "power_abuse",
        "title": "회식 강요 신고",
        "body": "팀장이 회식을 강요했습니다.",
    }
    values.update(overrides)
    return case_file(**values)

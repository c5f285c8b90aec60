"""Idle session timeout: every request pushes the expiry forward by the policy's minutes."""

import datetime as dt

import time_machine
from django.urls import reverse

from hwallyu.accounts import services
from hwallyu.accounts.tests.helpers import sign_in
from hwallyu.core.calendar import SEOUL

HOME = reverse("core:home")
START = dt.datetime(2025, 3, 3, 9, 0, tzinfo=SEOUL)


def test_session_idle_longer_than_the_timeout_is_signed_out(client, org):
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, "staff")
        assert client.get(HOME).status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get(HOME)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_session_used_within_the_timeout_stays_and_slides(client, org):
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, "staff")
        for _ in range(4):  # two hours of work, never 30 minutes idle
            traveller.shift(dt.timedelta(minutes=29))
            assert client.get(HOME).status_code == 200


def test_expiry_is_set_at_sign_in_already(client, org):
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, "staff")
        traveller.shift(dt.timedelta(minutes=31))
        assert client.get(HOME).status_code == 302


def test_admin_chosen_timeout_applies(client, org):
    services.security_policy_update(actor=org.admin, idle_timeout_minutes=10, require_2fa_roles=[])
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, "staff")
        traveller.shift(dt.timedelta(minutes=9))
        assert client.get(HOME).status_code == 200
        traveller.shift(dt.timedelta(minutes=11))
        assert client.get(HOME).status_code == 302


def test_session_cookie_is_httponly_and_samesite(client, org):
    sign_in(client, "staff")
    cookie = client.cookies["hwallyu_session"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"

"""Shared steps for the accounts tests: sign in through the real form, compute TOTP codes."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hwallyu.core.testing import PASSWORD

LOGIN_URL = reverse("accounts:login")


def sign_in(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post(LOGIN_URL, {"username": username, "password": password})


def code_for(device: TOTPDevice) -> str:
    """The code an authenticator app would show right now for ``device``."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"

"""Reads of accounts: a user's two-factor state and API tokens, the security policy."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import qrcode
import qrcode.image.svg
from django.db.models import QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hwallyu.accounts.models import ApiToken, SecurityPolicy
from hwallyu.accounts.policies import api_tokens


@dataclass(frozen=True)
class OtpStatus:
    device: TOTPDevice | None  # the confirmed authenticator
    pending: TOTPDevice | None  # set up but not yet confirmed with a code
    backup_codes_left: int

    @property
    def enabled(self) -> bool:
        return self.device is not None


def otp_status(user: Any) -> OtpStatus:
    devices = list(TOTPDevice.objects.filter(user=user).order_by("-id"))
    confirmed = next((d for d in devices if d.confirmed), None)
    pending = next((d for d in devices if not d.confirmed), None) if confirmed is None else None
    left = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return OtpStatus(device=confirmed, pending=pending, backup_codes_left=left)


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret in Base32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(device: TOTPDevice) -> str:
    """An inline SVG QR code of the device's ``otpauth://`` address, drawn on the server."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    return str(image.to_string(encoding="unicode"))


def api_tokens_of(user: Any) -> QuerySet[ApiToken]:
    return api_tokens.scope(user).order_by("revoked_at", "-created_at")


def security_policy() -> SecurityPolicy:
    return SecurityPolicy.load()

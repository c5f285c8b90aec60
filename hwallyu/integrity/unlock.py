"""Keeping a handler's private key unlocked for a while, without it ever reaching the database.

The session backend stores sessions in the database, so the private key must not go into
the session as it is.  On unlock a random 32-byte *wrap key* is made:

* the session holds the private key encrypted under the wrap key (``SecretBox``), and the
  time the unlock ends;
* the browser holds the wrap key in a cookie: HttpOnly, SameSite=Strict, Secure in
  production, path ``/integrity/``, expiring with the unlock.

Neither half alone opens anything: a database dump (or backup) has only ciphertext, a stolen
cookie has no session to open.  Locking, signing out or the time running out discards it.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from hwallyu.integrity import crypto

COOKIE_NAME = "hw_integrity_key"
COOKIE_PATH = "/integrity/"
SESSION_KEY = "integrity_unlock"


def unlock_seconds() -> int:
    return int(getattr(settings, "HWALLYU_INTEGRITY_UNLOCK_MINUTES", 30)) * 60


def remember(request: HttpRequest, response: HttpResponse, *, private_key: bytes, handler_key_id: int) -> None:
    """Keep ``private_key`` usable for this browser session for a limited time."""
    wrap_key = secrets.token_bytes(crypto.KEY_BYTES)
    wrapped = crypto.secret_encrypt(wrap_key, private_key)
    until = int(time.time()) + unlock_seconds()
    request.session[SESSION_KEY] = {
        "wrapped": base64.b64encode(wrapped).decode("ascii"),
        "until": until,
        "key": handler_key_id,
    }
    response.set_cookie(
        COOKIE_NAME,
        base64.urlsafe_b64encode(wrap_key).decode("ascii"),
        max_age=unlock_seconds(),
        path=COOKIE_PATH,
        secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", True)),
        httponly=True,
        samesite="Strict",
    )


def forget(request: HttpRequest, response: HttpResponse | None = None) -> None:
    request.session.pop(SESSION_KEY, None)
    if response is not None:
        response.delete_cookie(COOKIE_NAME, path=COOKIE_PATH, samesite="Strict")


def seconds_left(request: HttpRequest) -> int:
    data: Any = request.session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return 0
    return max(0, int(data.get("until", 0)) - int(time.time()))


def private_key(request: HttpRequest, *, handler_key_id: int, public_key: bytes) -> bytes | None:
    """The unlocked private key of this handler, or None (locked, expired, mismatched)."""
    data: Any = request.session.get(SESSION_KEY)
    cookie = request.COOKIES.get(COOKIE_NAME)
    if not isinstance(data, dict) or not cookie:
        return None
    if data.get("key") != handler_key_id or int(data.get("until", 0)) <= int(time.time()):
        return None
    try:
        wrap_key = base64.urlsafe_b64decode(cookie.encode("ascii"))
        wrapped = base64.b64decode(str(data.get("wrapped", "")).encode("ascii"))
        key = crypto.secret_decrypt(wrap_key, wrapped)
    except (binascii.Error, ValueError, UnicodeEncodeError, crypto.CryptoError):
        return None
    if crypto.public_key_of(key) != bytes(public_key):
        return None
    return key

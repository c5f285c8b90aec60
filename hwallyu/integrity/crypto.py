"""The cryptography of the integrity channel (libsodium through PyNaCl, Argon2id).

Every case has its own X25519 key pair.  Its content is sealed to the case's public key
(``SealedBox``: an ephemeral sender key, so writing needs no secret at all).  The case's
private key is kept only in sealed or encrypted form:

* sealed to each designated handler's public key (``SealedBox``);
* encrypted with a key derived from the reporter's receipt (Argon2id + ``SecretBox``);
* sealed to the office recovery public key (``SealedBox``).

A handler's private key is encrypted with a key derived from the handler's passphrase
(Argon2id + ``SecretBox``).  Receipts are found by an HMAC keyed with a pepper derived from
``SECRET_KEY``; the Argon2id-derived key proves possession.  See docs/integrity-crypto.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from django.conf import settings
from nacl.bindings import sodium_pad, sodium_unpad
from nacl.exceptions import CryptoError as NaclCryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

RECEIPT_DIGITS = 16
SALT_BYTES = 16
KEY_BYTES = 32
# Plain text is padded to a multiple of this many bytes so a ciphertext's length tells
# little about how long the text is.
TEXT_BLOCK = 256
FILE_BLOCK = 4096


class CryptoError(Exception):
    """A key or ciphertext did not fit: wrong passphrase, wrong receipt, damaged data."""


@dataclass(frozen=True)
class KdfParams:
    time_cost: int
    memory_kib: int
    parallelism: int = 1


def kdf_params() -> KdfParams:
    """Argon2id cost: sized for a 2-core server (about 0.2 s); cheap under tests."""
    if getattr(settings, "TESTING", False):
        return KdfParams(time_cost=1, memory_kib=8 * 1024)
    cost = getattr(settings, "HWALLYU_INTEGRITY_KDF", None) or {}
    return KdfParams(time_cost=int(cost.get("time_cost", 3)), memory_kib=int(cost.get("memory_kib", 64 * 1024)))


def derive_key(secret: str | bytes, salt: bytes, params: KdfParams) -> bytes:
    """A 32-byte key from a passphrase or receipt: Argon2id (RFC 9106)."""
    raw = secret.encode("utf-8") if isinstance(secret, str) else secret
    return hash_secret_raw(
        secret=raw,
        salt=salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def new_salt() -> bytes:
    return secrets.token_bytes(SALT_BYTES)


def new_keypair() -> tuple[bytes, bytes]:
    """(public key, private key), 32 bytes each."""
    private = PrivateKey.generate()
    return bytes(private.public_key), bytes(private)


def public_key_of(private_key: bytes) -> bytes:
    return bytes(PrivateKey(private_key).public_key)


def fingerprint(public_key: bytes) -> str:
    """A short, readable fingerprint of a public key (for the set-up screen and the logs)."""
    digest = hashlib.sha256(public_key).hexdigest()[:24]
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


# --- sealing to a public key ------------------------------------------------------------


def seal(public_key: bytes, plaintext: bytes, *, block: int = TEXT_BLOCK) -> bytes:
    """Encrypt to a public key; only the matching private key opens it."""
    return SealedBox(PublicKey(bytes(public_key))).encrypt(sodium_pad(plaintext, block))


def unseal(private_key: bytes, ciphertext: bytes, *, block: int = TEXT_BLOCK) -> bytes:
    try:
        padded = SealedBox(PrivateKey(bytes(private_key))).decrypt(bytes(ciphertext))
        return sodium_unpad(padded, block)
    except (NaclCryptoError, ValueError, TypeError) as exc:
        raise CryptoError("복호화할 수 없습니다.") from exc


def seal_json(public_key: bytes, value: Any) -> bytes:
    return seal(public_key, json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def unseal_json(private_key: bytes, ciphertext: bytes) -> Any:
    return json.loads(unseal(private_key, ciphertext).decode("utf-8"))


# --- secret-key encryption ----------------------------------------------------------------


def secret_encrypt(key: bytes, plaintext: bytes) -> bytes:
    return bytes(SecretBox(key).encrypt(plaintext))


def secret_decrypt(key: bytes, ciphertext: bytes) -> bytes:
    try:
        return bytes(SecretBox(key).decrypt(bytes(ciphertext)))
    except (NaclCryptoError, ValueError, TypeError) as exc:
        raise CryptoError("복호화할 수 없습니다.") from exc


# --- receipts -------------------------------------------------------------------------------


def receipt_new() -> str:
    """16 random decimal digits (about 53 bits), from the operating system's CSPRNG."""
    return "".join(secrets.choice("0123456789") for _ in range(RECEIPT_DIGITS))


def receipt_normalize(value: str | None) -> str | None:
    """The 16 digits of what the reporter typed (spaces and hyphens allowed), else None."""
    if not value:
        return None
    digits = "".join(ch for ch in str(value) if ch not in " -\t\u00a0")
    if len(digits) != RECEIPT_DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    return digits


def receipt_display(receipt: str) -> str:
    return " ".join(receipt[i : i + 4] for i in range(0, len(receipt), 4))


def _pepper() -> bytes:
    """A server-side key for the receipt index, derived from SECRET_KEY (not stored in the DB)."""
    return hashlib.blake2b(
        settings.SECRET_KEY.encode("utf-8"), digest_size=32, person=b"hwallyu-integr", salt=b"receipt-lookup"
    ).digest()


def receipt_lookup(receipt: str) -> str:
    """HMAC-SHA256 of the receipt under the pepper: the index the case is found by."""
    return hmac.new(_pepper(), receipt.encode("ascii"), hashlib.sha256).hexdigest()

"""Keys: the office recovery key, handlers' key pairs, designating and revoking handlers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from hwallyu.api.base import ServiceError
from hwallyu.core.audit import log_action
from hwallyu.integrity import crypto
from hwallyu.integrity.models import Case, CaseSeal, HandlerKey, OfficeKey
from hwallyu.integrity.policies import MANAGE_HANDLERS, REVOKE, case_policy, handler_key_of, is_audit, is_designated

MIN_PASSPHRASE = 12
WRONG_PASSPHRASE = "암호문구가 올바르지 않습니다."
LOCKED = "담당자 키가 잠겨 있습니다. 먼저 암호문구로 잠금을 해제해 주세요."


def _check_passphrase(passphrase: str, user: Any) -> None:
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise ServiceError(f"암호문구는 {MIN_PASSPHRASE}자 이상이어야 합니다. 여러 단어를 이어 쓰면 기억하기 쉽습니다.")
    if passphrase.strip().lower() == user.get_username().lower():
        raise ServiceError("암호문구에 아이디를 그대로 쓸 수 없습니다.")


def _encrypt_private(private_key: bytes, passphrase: str) -> dict[str, Any]:
    params = crypto.kdf_params()
    salt = crypto.new_salt()
    key = crypto.derive_key(passphrase, salt, params)
    return {
        "encrypted_private_key": crypto.secret_encrypt(key, private_key),
        "kdf_salt": salt,
        "kdf_time_cost": params.time_cost,
        "kdf_memory_kib": params.memory_kib,
    }


def _decrypt_private(handler_key: HandlerKey, passphrase: str) -> bytes:
    params = crypto.KdfParams(handler_key.kdf_time_cost, handler_key.kdf_memory_kib)
    key = crypto.derive_key(passphrase, bytes(handler_key.kdf_salt), params)
    return crypto.secret_decrypt(key, bytes(handler_key.encrypted_private_key))


# --- the office recovery key -----------------------------------------------------------------


def office_key_create(*, actor: Any = None) -> tuple[OfficeKey, bytes]:
    """Make the office recovery key pair; the caller prints the private key once and drops it."""
    with transaction.atomic():
        if OfficeKey.objects.exists():
            raise ServiceError("기관 복구 키가 이미 있습니다. 복구 키는 한 번만 만듭니다.")
        public, private = crypto.new_keypair()
        office = OfficeKey.objects.create(public_key=public, fingerprint=crypto.fingerprint(public))
        log_action(
            actor=actor, action="integrity.office_key_created", target=office, after={"fingerprint": office.fingerprint}
        )
    return office, private


def recovery_reseal(*, recovery_private_key: bytes, handler_key: HandlerKey, actor: Any = None) -> int:
    """Give ``handler_key`` every case through the office recovery key; designates it.  Cases resealed."""
    office = OfficeKey.objects.order_by("pk").first()
    if office is None or crypto.public_key_of(recovery_private_key) != bytes(office.public_key):
        raise ServiceError("복구 키가 이 기관의 복구 키와 맞지 않습니다.")
    count = 0
    with transaction.atomic():
        have = set(CaseSeal.objects.filter(handler_key=handler_key).values_list("case_id", flat=True))
        for case in (
            Case.objects.exclude(pk__in=have).exclude(recovery_sealed_key=None).only("id", "recovery_sealed_key")
        ):
            case_private = crypto.unseal(recovery_private_key, bytes(case.recovery_sealed_key or b""))
            CaseSeal.objects.create(
                case=case, handler_key=handler_key, sealed_key=crypto.seal(bytes(handler_key.public_key), case_private)
            )
            count += 1
        if not handler_key.designated:
            handler_key.designated = True
            handler_key.designated_at = timezone.now()
            handler_key.save(update_fields=["designated", "designated_at", "updated_at"])
        log_action(
            actor=actor,
            action="integrity.recovery_reseal",
            target=handler_key,
            after={"cases": count, "handler": handler_key.user.get_username()},
        )
    return count


# --- handler keys ------------------------------------------------------------------------------


def handler_key_create(*, actor: Any, passphrase: str) -> HandlerKey:
    """An audit-team user makes their key pair.  The first handler of the office is designated at once."""
    if not is_audit(actor):
        raise ServiceError("청렴 상담·신고 담당자 키는 감사팀 직원만 만들 수 있습니다.", status=403)
    _check_passphrase(passphrase, actor)
    public, private = crypto.new_keypair()
    with transaction.atomic():
        if HandlerKey.objects.filter(user=actor).exists():
            raise ServiceError("이미 담당자 키가 있습니다. 암호문구를 바꾸려면 ‘암호문구 변경’을 쓰세요.")
        first = not HandlerKey.objects.filter(designated=True).exists()
        key = HandlerKey.objects.create(
            user=actor,
            public_key=public,
            fingerprint=crypto.fingerprint(public),
            designated=first,
            designated_at=timezone.now() if first else None,
            **_encrypt_private(private, passphrase),
        )
        log_action(
            actor=actor,
            action="integrity.handler_key_created",
            target=key,
            after={"fingerprint": key.fingerprint, "designated": first},
        )
    if hasattr(actor, "_hwallyu_integrity_key"):
        del actor._hwallyu_integrity_key
    return key


def handler_unlock(*, actor: Any, passphrase: str) -> tuple[HandlerKey, bytes]:
    """The actor's private key, opened with their passphrase (the caller keeps it only briefly)."""
    key = handler_key_of(actor)
    if key is None:
        raise ServiceError("담당자 키가 없습니다. 먼저 담당자 키를 만들어 주세요.", status=403)
    try:
        private = _decrypt_private(key, passphrase or "")
    except crypto.CryptoError:
        log_action(actor=actor, action="integrity.unlock_failed", target=key)
        raise ServiceError(WRONG_PASSPHRASE, status=403) from None
    log_action(actor=actor, action="integrity.unlocked", target=key)
    return key, private


def handler_passphrase_change(*, actor: Any, old_passphrase: str, new_passphrase: str) -> HandlerKey:
    key, private = handler_unlock(actor=actor, passphrase=old_passphrase)
    _check_passphrase(new_passphrase, actor)
    with transaction.atomic():
        for name, value in _encrypt_private(private, new_passphrase).items():
            setattr(key, name, value)
        key.save(update_fields=["encrypted_private_key", "kdf_salt", "kdf_time_cost", "kdf_memory_kib", "updated_at"])
        log_action(actor=actor, action="integrity.passphrase_changed", target=key)
    return key


@dataclass(frozen=True)
class Designation:
    key: HandlerKey
    resealed: int
    missing: int  # cases the granting handler could not open (sealed before they were designated)


def handler_designate(*, actor: Any, actor_private_key: bytes | None, handler_key: HandlerKey) -> Designation:
    """Designate another audit-team user: re-seal every case the actor can open to their key."""
    case_policy.check(actor, MANAGE_HANDLERS)
    if actor_private_key is None:
        raise ServiceError(LOCKED, status=403)
    own = handler_key_of(actor)
    if own is None or crypto.public_key_of(actor_private_key) != bytes(own.public_key):
        raise ServiceError(LOCKED, status=403)
    if not is_audit(handler_key.user):
        raise ServiceError("감사팀 직원만 청렴 상담·신고 담당자로 지정할 수 있습니다.")
    resealed = missing = 0
    with transaction.atomic():
        have = set(CaseSeal.objects.filter(handler_key=handler_key).values_list("case_id", flat=True))
        mine = {s.case_id: s for s in CaseSeal.objects.filter(handler_key=own)}
        for case_id in Case.objects.exclude(pk__in=have).values_list("id", flat=True):
            seal = mine.get(case_id)
            if seal is None:
                missing += 1
                continue
            case_private = crypto.unseal(actor_private_key, bytes(seal.sealed_key))
            CaseSeal.objects.create(
                case_id=case_id,
                handler_key=handler_key,
                sealed_key=crypto.seal(bytes(handler_key.public_key), case_private),
            )
            resealed += 1
        handler_key.designated = True
        handler_key.designated_at = timezone.now()
        handler_key.designated_by = actor
        handler_key.save(update_fields=["designated", "designated_at", "designated_by", "updated_at"])
        log_action(
            actor=actor,
            action="integrity.handler_designated",
            target=handler_key,
            after={"handler": handler_key.user.get_username(), "cases": resealed, "missing": missing},
        )
    return Designation(handler_key, resealed, missing)


def handler_revoke(*, actor: Any, handler_key: HandlerKey) -> None:
    """Take the cases away from a handler: their seals are deleted and they are no longer designated."""
    case_policy.check(actor, REVOKE)
    with transaction.atomic():
        others = HandlerKey.objects.filter(designated=True).exclude(pk=handler_key.pk)
        if handler_key.designated and not others.exists():
            raise ServiceError("마지막 지정 담당자는 해제할 수 없습니다. 다른 담당자를 먼저 지정해 주세요.")
        removed, _ = CaseSeal.objects.filter(handler_key=handler_key).delete()
        handler_key.designated = False
        handler_key.designated_at = None
        handler_key.save(update_fields=["designated", "designated_at", "updated_at"])
        log_action(
            actor=actor,
            action="integrity.handler_revoked",
            target=handler_key,
            after={"handler": handler_key.user.get_username(), "seals_removed": removed},
        )


def handler_key_for_api(*, actor: Any, passphrase: str) -> bytes:
    """The API's way to read: the passphrase comes with the request and is used only for it."""
    if not is_designated(actor):
        raise ServiceError("지정된 청렴 상담·신고 담당자만 열람할 수 있습니다.", status=403)
    _, private = handler_unlock(actor=actor, passphrase=passphrase)
    return private

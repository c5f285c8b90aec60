"""Provider clients for business messages, shaped on NHN Cloud KakaoTalk Bizmessage v2.3 and SMS v3.0.

* AlimTalk: ``POST {base}/alimtalk/v2.3/appkeys/{appKey}/messages`` with the sender key, a template
  code and up to 1,000 recipients, each with template parameters, a resend-to-SMS/LMS parameter
  and a ``recipientGroupingKey`` that carries our per-message idempotency key.  Results:
  ``GET .../messages?requestId=…`` (``messageStatus``, ``resultCode``, ``resendStatus`` RSC01–RSC05).
* SMS/LMS: ``POST {base}/sms/v3.0/appKeys/{appKey}/sender/sms`` (or ``/mms`` for LMS); results
  ``GET .../sender/sms?requestId=…`` (``msgStatus`` 3 = delivered, 0/4 = failed).

``HttpBizMessageClient`` talks to such an API (the local fake provider in tests);
``ConsoleBizMessageClient`` only logs (demo) and settles every message at once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings

log = logging.getLogger("hwallyu.notifications.bizmessage")

MAX_RECIPIENTS = 1000

# resendStatus codes of the AlimTalk API
RESEND_NOT_TARGET = "RSC01"
RESEND_TARGET = "RSC02"
RESEND_IN_PROGRESS = "RSC03"
RESEND_SUCCESS = "RSC04"
RESEND_FAILED = "RSC05"


class ProviderError(Exception):
    """The request did not get a usable answer (network, timeout, 5xx): retry later."""


@dataclass
class Recipient:
    """One message in a provider request."""

    idempotency_key: str
    recipient_no: str  # digits only
    content: str  # the full text: SMS body, or the AlimTalk fallback text
    title: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    fallback: str = ""  # "", "sms", "lms"


@dataclass
class Delivery:
    """What finally happened to one message."""

    request_id: str
    seq: int
    status: str  # "delivered", "failed", "pending"
    via: str = ""  # "alimtalk", "sms", "lms"
    result_code: str = ""
    message: str = ""
    idempotency_key: str = ""


@dataclass
class Accepted:
    """The provider's answer for one recipient of a send request."""

    idempotency_key: str
    ok: bool
    request_id: str = ""
    seq: int | None = None
    result_code: str = ""
    message: str = ""
    final: Delivery | None = None  # known at once (console backend)


class BizMessageClient(Protocol):
    def send_alimtalk(self, template_code: str, recipients: list[Recipient]) -> list[Accepted]: ...

    def send_sms(self, kind: str, recipients: list[Recipient]) -> list[Accepted]: ...

    def fetch_results(self, channel: str, request_id: str) -> list[Delivery]: ...


def request_key(recipients: list[Recipient]) -> str:
    """One idempotency key for a whole request (``X-Idempotency-Key``)."""
    digest = hashlib.sha256("\n".join(sorted(r.idempotency_key for r in recipients)).encode()).hexdigest()
    return digest[:40]


def _config() -> dict[str, Any]:
    return dict(settings.HWALLYU_BIZMESSAGE)


class HttpBizMessageClient:
    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config = config or _config()

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None, key: str = "") -> dict[str, Any]:
        url = f"{self.config['BASE_URL']}{path}"
        data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Content-Type", "application/json;charset=UTF-8")
        request.add_header("X-Secret-Key", str(self.config["SECRET_KEY"]))
        if key:
            request.add_header("X-Idempotency-Key", key)
        try:
            with urllib.request.urlopen(request, timeout=float(self.config.get("TIMEOUT", 10))) as response:
                payload = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise ProviderError(f"발송 서비스가 HTTP {exc.code} 오류로 응답했습니다.") from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise ProviderError(f"발송 서비스에 연결하지 못했습니다: {exc}") from exc
        except ValueError as exc:
            raise ProviderError("발송 서비스의 응답을 해석하지 못했습니다.") from exc
        header = payload.get("header") or {}
        if not header.get("isSuccessful", False):
            raise ProviderError(f"발송 요청이 거절되었습니다: {header.get('resultCode')} {header.get('resultMessage')}")
        return payload

    def send_alimtalk(self, template_code: str, recipients: list[Recipient]) -> list[Accepted]:
        if len(recipients) > MAX_RECIPIENTS:
            raise ValueError("한 요청의 수신자는 1,000명 이하여야 합니다.")
        body = {
            "senderKey": self.config["SENDER_KEY"],
            "templateCode": template_code,
            "recipientList": [
                {
                    "recipientNo": r.recipient_no,
                    "templateParameter": r.params,
                    "recipientGroupingKey": r.idempotency_key,
                    "resendParameter": (
                        {
                            "isResend": True,
                            "resendType": r.fallback.upper(),
                            "resendTitle": r.title if r.fallback == "lms" else None,
                            "resendContent": r.content,
                            "resendSendNo": self.config["SEND_NO"],
                        }
                        if r.fallback
                        else {"isResend": False}
                    ),
                }
                for r in recipients
            ],
        }
        path = f"/alimtalk/v2.3/appkeys/{self.config['APP_KEY']}/messages"
        payload = self._call("POST", path, body, key=request_key(recipients))
        message = payload.get("message") or {}
        return _accepted(recipients, str(message.get("requestId", "")), message.get("sendResults") or [])

    def send_sms(self, kind: str, recipients: list[Recipient]) -> list[Accepted]:
        if len(recipients) > MAX_RECIPIENTS:
            raise ValueError("한 요청의 수신자는 1,000명 이하여야 합니다.")
        # The SMS API sends one body per request: group by content before calling.
        results: list[Accepted] = []
        groups: dict[tuple[str, str], list[Recipient]] = {}
        for r in recipients:
            groups.setdefault((r.content, r.title), []).append(r)
        for (content, title), group in groups.items():
            body: dict[str, Any] = {
                "body": content,
                "sendNo": self.config["SEND_NO"],
                "recipientList": [
                    {"recipientNo": r.recipient_no, "recipientGroupingKey": r.idempotency_key} for r in group
                ],
            }
            if kind == "lms":
                body["title"] = title
            path = f"/sms/v3.0/appKeys/{self.config['APP_KEY']}/sender/{'mms' if kind == 'lms' else 'sms'}"
            payload = self._call("POST", path, body, key=request_key(group))
            data = ((payload.get("body") or {}).get("data")) or {}
            results += _accepted(group, str(data.get("requestId", "")), data.get("sendResultList") or [])
        return results

    def fetch_results(self, channel: str, request_id: str) -> list[Delivery]:
        if channel == "alimtalk":
            path = f"/alimtalk/v2.3/appkeys/{self.config['APP_KEY']}/messages?requestId={request_id}&pageSize=1000"
            payload = self._call("GET", path)
            items = (payload.get("messageSearchResultResponse") or {}).get("messages") or []
            return [alimtalk_delivery(item) for item in items]
        path = f"/sms/v3.0/appKeys/{self.config['APP_KEY']}/sender/sms?requestId={request_id}&pageSize=1000"
        payload = self._call("GET", path)
        items = (payload.get("body") or {}).get("data") or []
        return [sms_delivery(item) for item in items]


def _accepted(recipients: list[Recipient], request_id: str, results: list[dict[str, Any]]) -> list[Accepted]:
    by_key = {str(item.get("recipientGroupingKey", "")): item for item in results}
    out = []
    for r in recipients:
        item = by_key.get(r.idempotency_key)
        if item is None:
            out.append(
                Accepted(r.idempotency_key, False, request_id, None, "missing", "응답에 수신자 결과가 없습니다.")
            )
            continue
        code = str(item.get("resultCode", ""))
        out.append(
            Accepted(
                r.idempotency_key,
                code == "0",
                str(item.get("requestId") or request_id),
                int(item["recipientSeq"]) if item.get("recipientSeq") is not None else None,
                code,
                str(item.get("resultMessage", "")),
            )
        )
    return out


def alimtalk_delivery(item: dict[str, Any]) -> Delivery:
    """One AlimTalk result (poll or webhook) as a :class:`Delivery`."""
    status = str(item.get("messageStatus", ""))
    resend = str(item.get("resendStatus", "") or "")
    code = str(item.get("resultCode", "") or "")
    base: dict[str, Any] = {
        "request_id": str(item.get("requestId", "")),
        "seq": int(item.get("recipientSeq") or 0),
        "result_code": code,
        "message": str(item.get("resultCodeName", "") or ""),
        "idempotency_key": str(item.get("recipientGroupingKey", "") or ""),
    }
    if status == "COMPLETED" and code == "1000":
        return Delivery(status="delivered", via="alimtalk", **base)
    if resend == RESEND_SUCCESS:
        via = str(item.get("resendType", "sms") or "sms").lower()
        return Delivery(status="delivered", via=via if via in ("sms", "lms") else "sms", **base)
    if resend in (RESEND_TARGET, RESEND_IN_PROGRESS) or status in ("READY", "IN_PROGRESS", "SENDING", ""):
        return Delivery(status="pending", **base)
    return Delivery(status="failed", **base)


def sms_delivery(item: dict[str, Any]) -> Delivery:
    status = str(item.get("msgStatus", ""))
    base: dict[str, Any] = {
        "request_id": str(item.get("requestId", "")),
        "seq": int(item.get("recipientSeq") or 0),
        "result_code": str(item.get("resultCode", "") or ""),
        "message": str(item.get("msgStatusName", "") or ""),
        "idempotency_key": str(item.get("recipientGroupingKey", "") or ""),
    }
    if status == "3":
        kind = "lms" if str(item.get("messageType", "")).upper() in ("LMS", "MMS") else "sms"
        return Delivery(status="delivered", via=kind, **base)
    if status in ("0", "4"):
        return Delivery(status="failed", **base)
    return Delivery(status="pending", **base)


class ConsoleBizMessageClient:
    """Writes messages to the log instead of sending them (demo).

    To show every path in the demo, a number ending in 7 is "not a KakaoTalk user" (the AlimTalk
    fails and the SMS/LMS fallback is delivered) and one ending in 00 cannot be reached at all.
    """

    def _outcome(self, r: Recipient, request_id: str, seq: int, channel: str) -> Delivery:
        if r.recipient_no.endswith("00"):
            return Delivery(request_id, seq, "failed", "", "3018", "수신 불가 번호", r.idempotency_key)
        if channel == "alimtalk" and r.recipient_no.endswith("7"):
            if r.fallback:
                return Delivery(
                    request_id, seq, "delivered", r.fallback, "3015", "카카오톡 미사용자: 대체발송", r.idempotency_key
                )
            return Delivery(request_id, seq, "failed", "", "3015", "카카오톡 미사용자", r.idempotency_key)
        return Delivery(request_id, seq, "delivered", channel, "1000", "성공", r.idempotency_key)

    def _send(self, channel: str, recipients: list[Recipient]) -> list[Accepted]:
        request_id = uuid.uuid4().hex
        out = []
        for seq, r in enumerate(recipients, start=1):
            masked = f"{r.recipient_no[:3]}****{r.recipient_no[-4:]}" if len(r.recipient_no) > 7 else "****"
            log.info("[%s] %s %s", channel, masked, r.content.replace("\n", " ")[:120])
            final = self._outcome(r, request_id, seq, channel)
            out.append(Accepted(r.idempotency_key, True, request_id, seq, "0", "SUCCESS", final))
        return out

    def send_alimtalk(self, template_code: str, recipients: list[Recipient]) -> list[Accepted]:
        return self._send("alimtalk", recipients)

    def send_sms(self, kind: str, recipients: list[Recipient]) -> list[Accepted]:
        return self._send(kind, recipients)

    def fetch_results(self, channel: str, request_id: str) -> list[Delivery]:
        return []


_override: BizMessageClient | None = None


def get_client() -> BizMessageClient:
    if _override is not None:
        return _override
    backend = _config().get("BACKEND", "console")
    if backend == "http":
        return HttpBizMessageClient()
    return ConsoleBizMessageClient()


def set_client(client: BizMessageClient | None) -> None:
    """Use ``client`` for every send (tests, demo loader); ``None`` goes back to the settings."""
    global _override
    _override = client

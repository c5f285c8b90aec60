"""A local stand-in for the Bizmessage (AlimTalk v2.3, SMS v3.0) API: a small HTTP server.

It answers like the real provider, including the unhappy paths, so tests and demos exercise them:

* a number ending in ``7`` is not a KakaoTalk user: the AlimTalk fails and, when the request asked
  for it, the SMS/LMS fallback is delivered (``resendStatus`` RSC04);
* a number ending in ``00`` cannot be reached at all (AlimTalk and fallback fail);
* a number ending in ``99`` is refused at request time (``resultCode`` -1003);
* ``fail_next = N`` answers the next N send requests with HTTP 500, ``delay`` slows every answer;
* ``recipientGroupingKey`` is our idempotency key: a repeated key is answered with the first
  result and nothing is sent again (``sent`` counts real sends, ``duplicates`` the repeats);
* with ``webhook_url`` set, results are also pushed there, signed (HMAC-SHA256) like our webhook expects.

Start it with ``hwallyu fake_bizmessage`` (port 8025) or, in tests, ``with FakeBizMessageProvider() as fake``.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class _Sent:
    channel: str  # "alimtalk", "sms", "lms"
    request_id: str
    seq: int
    recipient_no: str
    key: str
    content: str
    resend: dict[str, Any]
    accepted_at: float


class FakeBizMessageProvider:
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        app_key: str = "hwallyu-local",
        secret_key: str = "local-secret",
        webhook_url: str = "",
        webhook_secret: str = "local-webhook-secret",
    ) -> None:
        self.app_key = app_key
        self.secret_key = secret_key
        self.webhook_url = webhook_url
        self.webhook_secret = webhook_secret
        self.fail_next = 0
        self.delay = 0.0
        self.settle_seconds = 0.0
        self.lock = threading.Lock()
        self.messages: dict[str, _Sent] = {}  # by idempotency key
        self.by_request: dict[str, list[_Sent]] = {}
        self.requests = 0
        self.duplicates = 0
        self.last_request_headers: dict[str, str] = {}
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def _answer(self, status: int, payload: dict[str, Any]) -> None:
                body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=UTF-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                provider._handle(self, "GET")

            def do_POST(self) -> None:
                provider._handle(self, "POST")

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.thread: threading.Thread | None = None

    # --- lifecycle --------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}" if isinstance(host, str) else f"http://127.0.0.1:{port}"

    def start(self) -> FakeBizMessageProvider:
        self.thread = threading.Thread(target=self.server.serve_forever, name="fake-bizmessage", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FakeBizMessageProvider:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def config(self) -> dict[str, Any]:
        """Settings for ``HttpBizMessageClient`` pointing at this server."""
        return {
            "BACKEND": "http",
            "BASE_URL": self.base_url,
            "APP_KEY": self.app_key,
            "SECRET_KEY": self.secret_key,
            "SENDER_KEY": "fake-sender-key",
            "SEND_NO": "0417461234",
            "WEBHOOK_SECRET": self.webhook_secret,
            "TIMEOUT": 5,
        }

    @property
    def sent(self) -> int:
        return len(self.messages)

    # --- behaviour ------------------------------------------------------------------
    @staticmethod
    def outcome(recipient_no: str, channel: str) -> str:
        """ "ok", "no_kakao", "unreachable" or "invalid" for a number."""
        if recipient_no.endswith("99"):
            return "invalid"
        if recipient_no.endswith("00"):
            return "unreachable"
        if channel == "alimtalk" and recipient_no.endswith("7"):
            return "no_kakao"
        return "ok"

    def _result(self, sent: _Sent) -> dict[str, Any]:
        settled = time.monotonic() - sent.accepted_at >= self.settle_seconds
        outcome = self.outcome(sent.recipient_no, sent.channel)
        base = {
            "requestId": sent.request_id,
            "recipientSeq": sent.seq,
            "recipientNo": sent.recipient_no,
            "recipientGroupingKey": sent.key,
            "channel": "sms" if sent.channel in ("sms", "lms") else "alimtalk",
        }
        if sent.channel in ("sms", "lms"):
            status = "2" if not settled else ("3" if outcome == "ok" else "4")
            return {
                **base,
                "msgStatus": status,
                "msgStatusName": {"2": "발송중", "3": "발송완료", "4": "발송실패"}[status],
                "resultCode": "1000" if status == "3" else "3018",
                "messageType": sent.channel.upper(),
            }
        if not settled:
            return {**base, "messageStatus": "IN_PROGRESS", "resultCode": "", "resendStatus": "RSC01"}
        if outcome == "ok":
            return {
                **base,
                "messageStatus": "COMPLETED",
                "resultCode": "1000",
                "resultCodeName": "성공",
                "resendStatus": "RSC01",
            }
        resend = sent.resend if sent.resend.get("isResend") else {}
        if outcome == "no_kakao" and resend:
            return {
                **base,
                "messageStatus": "FAILED",
                "resultCode": "3015",
                "resultCodeName": "카카오톡 미사용자",
                "resendStatus": "RSC04",
                "resendStatusName": "대체 발송 성공",
                "resendType": str(resend.get("resendType", "SMS")),
            }
        return {
            **base,
            "messageStatus": "FAILED",
            "resultCode": "3018" if outcome == "unreachable" else "3015",
            "resultCodeName": "메시지를 전송할 수 없음",
            "resendStatus": "RSC05" if resend else "RSC01",
        }

    def results_for(self, request_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return [self._result(s) for s in self.by_request.get(request_id, [])]

    # --- HTTP -----------------------------------------------------------------------
    def _handle(self, handler: Any, method: str) -> None:
        if self.delay:
            time.sleep(self.delay)
        url = urllib.parse.urlsplit(handler.path)
        parts = [p for p in url.path.split("/") if p]
        query = urllib.parse.parse_qs(url.query)
        if url.path == "/health":
            handler._answer(200, {"status": "ok"})
            return
        with self.lock:
            self.last_request_headers = {k.lower(): v for k, v in handler.headers.items()}
        if handler.headers.get("X-Secret-Key") != self.secret_key:
            handler._answer(401, _header(False, -1000, "Invalid secret key"))
            return
        if method == "POST":
            with self.lock:
                self.requests += 1
                if self.fail_next > 0:
                    self.fail_next -= 1
                    handler._answer(500, _header(False, -9999, "Internal server error"))
                    return
            length = int(handler.headers.get("Content-Length") or 0)
            try:
                body = json.loads(handler.rfile.read(length).decode("utf-8"))
            except ValueError:
                handler._answer(400, _header(False, -1001, "Invalid JSON"))
                return
        else:
            body = {}
        if len(parts) >= 5 and parts[0] == "alimtalk" and parts[4] == "messages":
            if method == "POST":
                handler._answer(200, self._send_alimtalk(body))
            else:
                items = self.results_for(query.get("requestId", [""])[0])
                handler._answer(
                    200,
                    {
                        **_header(True, 0, "success"),
                        "messageSearchResultResponse": {"messages": items, "totalCount": len(items)},
                    },
                )
            return
        if len(parts) >= 6 and parts[0] == "sms" and parts[4] == "sender":
            if method == "POST":
                handler._answer(200, self._send_sms("lms" if parts[5] == "mms" else "sms", body))
            else:
                items = self.results_for(query.get("requestId", [""])[0])
                handler._answer(
                    200,
                    {
                        **_header(True, 0, "success"),
                        "body": {"pageNum": 1, "pageSize": 1000, "totalCount": len(items), "data": items},
                    },
                )
            return
        handler._answer(404, _header(False, -1002, "Not found"))

    def _accept(self, channel: str, recipients: list[dict[str, Any]], content: str = "") -> tuple[str, list[dict]]:
        request_id = dt.datetime.now().strftime("%Y%m%d%H%M%S") + uuid.uuid4().hex[:12]
        results = []
        fresh: list[_Sent] = []
        with self.lock:
            for seq, r in enumerate(recipients, start=1):
                number = "".join(ch for ch in str(r.get("recipientNo", "")) if ch.isdigit())
                key = str(r.get("recipientGroupingKey") or uuid.uuid4().hex)
                known = self.messages.get(key)
                if known is not None:
                    self.duplicates += 1
                    results.append(_send_result(known.request_id, known.seq, number, key, 0, "SUCCESS"))
                    continue
                if self.outcome(number, channel) == "invalid" or not 10 <= len(number) <= 11:
                    results.append(_send_result(request_id, seq, number, key, -1003, "Invalid recipient number"))
                    continue
                sent = _Sent(
                    channel,
                    request_id,
                    seq,
                    number,
                    key,
                    content or str(r.get("templateParameter")),
                    dict(r.get("resendParameter") or {}),
                    time.monotonic(),
                )
                self.messages[key] = sent
                self.by_request.setdefault(request_id, []).append(sent)
                fresh.append(sent)
                results.append(_send_result(request_id, seq, number, key, 0, "SUCCESS"))
        if self.webhook_url and fresh:
            threading.Thread(target=self._push, args=(fresh,), daemon=True).start()
        return request_id, results

    def _send_alimtalk(self, body: dict[str, Any]) -> dict[str, Any]:
        recipients = body.get("recipientList") or []
        if not body.get("senderKey") or not body.get("templateCode"):
            return _header(False, -1004, "senderKey and templateCode are required")
        if not 1 <= len(recipients) <= 1000:
            return _header(False, -1005, "recipientList must hold 1 to 1000 recipients")
        request_id, results = self._accept("alimtalk", recipients)
        return {
            **_header(True, 0, "success"),
            "message": {"requestId": request_id, "senderGroupingKey": None, "sendResults": results},
        }

    def _send_sms(self, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        recipients = body.get("recipientList") or []
        if not body.get("body") or not 1 <= len(recipients) <= 1000:
            return _header(False, -1005, "body and 1 to 1000 recipients are required")
        request_id, results = self._accept(kind, recipients, str(body.get("body")))
        return {
            **_header(True, 0, "success"),
            "body": {"data": {"requestId": request_id, "statusCode": "2", "sendResultList": results}},
        }

    def _push(self, sent: list[_Sent]) -> None:
        from hwallyu.notifications.channels.outbox import webhook_signature

        time.sleep(max(self.settle_seconds, 0.01))
        with self.lock:
            payload = json.dumps({"messages": [self._result(s) for s in sent]}, ensure_ascii=False).encode("utf-8")
        stamp = str(int(time.time()))
        request = urllib.request.Request(self.webhook_url, data=payload, method="POST")
        request.add_header("Content-Type", "application/json")
        request.add_header("X-Bizmessage-Timestamp", stamp)
        request.add_header("X-Bizmessage-Signature", "sha256=" + webhook_signature(payload, stamp, self.webhook_secret))
        try:
            urllib.request.urlopen(request, timeout=5).close()
        except OSError:
            pass


def _header(ok: bool, code: int, message: str) -> dict[str, Any]:
    return {"header": {"resultCode": code, "resultMessage": message, "isSuccessful": ok}}


def _send_result(request_id: str, seq: int, number: str, key: str, code: int, message: str) -> dict[str, Any]:
    return {
        "requestId": request_id,
        "recipientSeq": seq,
        "recipientNo": number,
        "resultCode": code,
        "resultMessage": message,
        "recipientGroupingKey": key,
    }

"""The provider's signed webhook for delivery results: ``POST /api/v1/bizmessage/webhook``."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import Router

from hwallyu.api.base import ServiceError
from hwallyu.notifications.channels import outbox

router = Router(tags=["발송 결과"])


@router.post("/bizmessage/webhook", auth=None, summary="알림톡·문자 전달 결과 수신(서명 필요)")
def bizmessage_webhook(request: HttpRequest) -> dict[str, Any]:
    timestamp = request.headers.get("X-Bizmessage-Timestamp", "")
    signature = request.headers.get("X-Bizmessage-Signature", "")
    if not outbox.verify_webhook(request.body, timestamp, signature):
        raise ServiceError("서명이 올바르지 않거나 만료된 요청입니다.", status=401)
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ServiceError("JSON 본문이 필요합니다.", status=400)
    if not isinstance(payload, dict):
        raise ServiceError("JSON 객체가 필요합니다.", status=400)
    recorded = outbox.apply_deliveries(outbox.deliveries_from_webhook(payload))
    return {"recorded": recorded}

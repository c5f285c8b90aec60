"""AlimTalk (알림톡) requests: template code, template parameters and the SMS/LMS fallback."""

from __future__ import annotations

from hwallyu.notifications.channels.client import Accepted, BizMessageClient, Recipient


def send_batch(client: BizMessageClient, template_code: str, recipients: list[Recipient]) -> list[Accepted]:
    """One provider request for up to 1,000 recipients of the same template."""
    return client.send_alimtalk(template_code, recipients)

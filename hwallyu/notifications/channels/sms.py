"""SMS and LMS: which one a text needs, and sending messages queued on the SMS channel.

Korean carriers count SMS length in EUC-KR bytes: up to 90 bytes is an SMS, longer text (up to
2,000 bytes) goes as an LMS with a title.
"""

from __future__ import annotations

from hwallyu.notifications.channels.client import Accepted, BizMessageClient, Recipient

SMS_MAX_BYTES = 90
LMS_MAX_BYTES = 2000


def byte_length(text: str) -> int:
    return len(text.encode("cp949", errors="replace"))


def kind_for(text: str) -> str:
    """ "sms" when the text fits one short message, else "lms"."""
    return "sms" if byte_length(text) <= SMS_MAX_BYTES else "lms"


def send_batch(client: BizMessageClient, recipients: list[Recipient]) -> list[Accepted]:
    """Send SMS-channel messages: short ones as SMS, long ones as LMS."""
    short = [r for r in recipients if kind_for(r.content) == "sms"]
    long = [r for r in recipients if kind_for(r.content) == "lms"]
    results: list[Accepted] = []
    if short:
        results += client.send_sms("sms", short)
    if long:
        results += client.send_sms("lms", long)
    return results

"""Outside channels for messages to citizens: KakaoTalk AlimTalk (알림톡) with SMS/LMS fallback.

``queue`` puts messages in the shared outbox; ``alimtalk.deliver_due`` sends them in batches of up
to 1,000 through a Bizmessage v2.3-style provider client (``client``); ``results`` takes delivery
results by polling and from the signed webhook.  ``fake_provider`` is a local HTTP server that
answers like the real provider (failures, slow answers, undelivered messages) for tests and demos.
"""

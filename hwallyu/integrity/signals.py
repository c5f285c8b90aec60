"""Recompute step due times when the working-time calendar changes."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from hwallyu.core.signals import calendar_changed


@receiver(calendar_changed, dispatch_uid="integrity_recompute_due")
def _on_calendar_changed(sender: Any, **kwargs: Any) -> None:
    from hwallyu.integrity.tasks import integrity_recompute_due

    integrity_recompute_due.enqueue()

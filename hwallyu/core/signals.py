"""Signals of the core.

``calendar_changed`` is sent (on commit) when closures or working hours change, so apps
that store deadlines can recompute those that have not passed yet.  Keyword arguments:
``version`` (the new ``CalendarSettings.version``), ``reason`` ("closure_add",
"closure_remove" or "working_hours_update") and ``dates`` (the closure dates that changed;
empty when the working hours changed, which touches every day).  Sender: ``CalendarSettings``.
"""

from django.dispatch import Signal

calendar_changed = Signal()

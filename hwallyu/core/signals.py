"""Signals of the core.

``calendar_changed`` is sent (on commit) when closures or working hours change, so apps
that store deadlines can recompute those that have not passed yet.
"""

from django.dispatch import Signal

calendar_changed = Signal()

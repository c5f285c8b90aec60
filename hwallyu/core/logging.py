"""Logging filters."""

import logging

from django.conf import settings


class AnonymousPathFilter(logging.Filter):
    """Drop access-log records of the anonymous channels (integrity reports, surveys).

    Those requests must leave no trace of who made them; the simplest proof is that the
    server writes no line for them at all.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        prefixes = getattr(settings, "HWALLYU_ANONYMOUS_PATH_PREFIXES", ())
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if path is None and record.args and isinstance(record.args, tuple) and record.args:
            first = str(record.args[0])
            parts = first.split(" ")
            path = parts[1] if len(parts) > 1 else None
        return not (path and any(path.startswith(p) for p in prefixes))

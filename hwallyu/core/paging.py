"""Paging for lists that can grow very long (the audit trail): count only as far as anyone pages."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """A paginator over at most the first ``limit`` rows of ``object_list`` (a queryset).

    Counting a table of hundreds of thousands of rows for "총 N건" reads all of them on every page
    view; this counts no further than ``limit`` + 1 rows.  When there are more, ``capped`` is true,
    the pages stop after ``limit`` rows and the page says so (narrow the search to see older rows).
    """

    def __init__(self, object_list: QuerySet[Any], per_page: int, *, limit: int, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.queryset = object_list
        self.limit = limit

    @cached_property
    def _counted(self) -> int:
        # Which rows are counted does not matter, only how many up to limit + 1: no ORDER BY.
        return self.queryset.order_by()[: self.limit + 1].count()

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return min(self._counted, self.limit)

    @property
    def capped(self) -> bool:
        """Whether there are more rows than the pages reach."""
        return self._counted > self.limit

"""The capped paginator: counts no further than its limit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hwallyu.core.models import Closure
from hwallyu.core.paging import CappedPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def closures():
    import datetime as dt

    for n in range(7):
        Closure.objects.create(date=dt.date(2024, 1, 1) + dt.timedelta(days=n), name=f"휴무 {n}")
    return Closure.objects.order_by("date")


@pytest.mark.parametrize(
    ("limit", "count", "capped", "pages"),
    [(3, 3, True, 2), (6, 6, True, 3), (7, 7, False, 4), (50, 7, False, 4)],
)
def test_counts_up_to_the_limit(closures, limit, count, capped, pages):
    paginator = CappedPaginator(closures, 2, limit=limit)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (count, capped, pages)


def test_pages_stop_at_the_limit(closures):
    paginator = CappedPaginator(closures, 2, limit=3)
    last = paginator.get_page(99)
    assert last.number == 2 and [c.name for c in last.object_list] == ["휴무 2"]
    assert not last.has_next()


def test_the_count_reads_at_most_limit_plus_one_rows(closures):
    with CaptureQueriesContext(connection) as queries:
        assert CappedPaginator(closures, 2, limit=3).count == 3
    assert len(queries.captured_queries) == 1
    assert "LIMIT 4" in queries.captured_queries[0]["sql"]

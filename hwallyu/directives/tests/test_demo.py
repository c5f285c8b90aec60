"""The demo year: about 40 directives in every state, some overdue, frozen Q1 and Q2 reviews."""

import pytest
from django.utils import timezone

from hwallyu.core.registry import demo_loaders
from hwallyu.directives import demo
from hwallyu.directives.models import Directive, QuarterlyReview, State
from hwallyu.directives.selectors import overdue_q

pytestmark = pytest.mark.django_db


def test_demo_runs_after_the_org_demo_and_is_idempotent():
    names = [name for name, _ in demo_loaders()]
    assert names.index("조직") < names.index("지시사항")
    from hwallyu.org.demo import load as load_org

    load_org()
    demo.load()
    count = Directive.objects.count()
    assert 38 <= count <= 45
    assert set(Directive.objects.values_list("state", flat=True)) == {s.value for s in State}
    assert Directive.objects.filter(overdue_q(timezone.now())).count() >= 4
    assert Directive.objects.filter(share_late=True).exists()
    assert Directive.objects.filter(close_requested_at__isnull=False).exists()
    assert Directive.objects.filter(extensions__status="approved").exists()
    assert Directive.objects.filter(extensions__status="pending").exists()
    frozen = QuarterlyReview.objects.filter(year=2024, status="approved").order_by("quarter")
    assert [r.quarter for r in frozen] == [1, 2]
    q1 = frozen[0].snapshot
    assert q1["total"]["total"] == Directive.objects.filter(year=2024, quarter=1).count()
    assert 0 < q1["total"]["completed"] < q1["total"]["total"]
    # the Chuseok example: shared Fri 2024-09-13 10:00, first report due Mon 2024-09-23 10:00
    chuseok = Directive.objects.get(title="추석 연휴 생활쓰레기 수거 대책")
    assert timezone.localtime(chuseok.first_report_due_at).isoformat() == "2024-09-23T10:00:00+09:00"

    demo.load()
    assert Directive.objects.count() == count


def test_demo_without_the_organisation_adds_nothing():
    demo.load()
    assert not Directive.objects.exists()

"""The demo initiatives from the seed load once, completely, and a second load adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from hwallyu.initiatives import demo, selectors
from hwallyu.initiatives.models import (
    BudgetLine,
    Document,
    Event,
    Initiative,
    InstitutionTarget,
    Milestone,
    Partner,
    ReviewCriterion,
    Target,
    TrendEntry,
)

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    models = (Initiative, Milestone, ReviewCriterion, Partner, Target, BudgetLine, Event, InstitutionTarget)
    return {m.__name__: m.objects.count() for m in (*models, TrendEntry, Document)}


def test_demo_is_the_seed_and_idempotent(settings, tmp_path):
    from hwallyu.org import demo as org_demo
    from hwallyu.workplan import demo as workplan_demo

    settings.MEDIA_ROOT = tmp_path
    demo.load()  # without the organisation there is nothing to own the initiatives
    assert not Initiative.objects.exists()
    org_demo.load()
    workplan_demo.load()
    demo.load()
    first = counts()
    demo.load()
    assert counts() == first

    expo = Initiative.objects.get(name="2027 논산세계딸기산업엑스포")
    attraction = Initiative.objects.get(name="공공기관 유치전략 마련 및 홍보 강화")
    assert (str(expo.team), str(attraction.team)) == ("기획감사실 엑스포 TF팀", "기획감사실 혁신기획팀")
    assert list(expo.milestones.values_list("name", "planned_on")[:5]) == [
        ("기본계획 제출", dt.date(2024, 5, 31)),
        ("충남도 검토", dt.date(2024, 7, 31)),
        ("농식품부 적격심사", dt.date(2024, 11, 30)),
        ("기획재정부 국제행사 심사", None),
        ("국제행사 개최 승인", dt.date(2025, 8, 31)),
    ]
    assert set(expo.partners.values_list("name", flat=True)) >= {
        "충청남도",
        "농림축산식품부",
        "기획재정부",
        "대외경제정책연구원(KIEP)",
        "성심당",
        "SPC(파리바게뜨)",
        "신세계푸드",
        "건양대학교",
        "한국관광공사 대전지사",
        "대전관광공사",
        "ISC(International Strawberry Congress)",
        "한국원예학회",
    }
    assert all(p.documents.exists() for p in expo.partners.all() if p.is_signed)
    assert expo.partners.get(name="SPC(파리바게뜨)").state == "negotiating"  # left for the walkthrough
    assert set(expo.criteria.values_list("review", flat=True)) == {"기획재정부 국제행사 심사", "KIEP 정책성등급 평가"}
    assert list(expo.targets.values_list("name", "value")) == [("방문객", 1_500_000), ("외국인 관람객", 90_000)]

    budget = selectors.budget(expo)
    assert (budget.check, budget.declared) == ("ok", 20_000 * 1_000_000)
    line = expo.budget_lines.get(year=2027)
    assert [line.national, line.provincial, line.city, line.other] == [x * 1_000_000 for x in (6000, 4000, 4000, 6000)]
    linked = next(r for r in budget.rows if r.line.year == 2024)
    assert linked.link == "linked" and "엑스포" in linked.statement.name  # the work plan's 사업비 조서 row
    assert selectors.budget(attraction).check == "ok"
    assert sorted(attraction.budget_lines.values_list("total", flat=True)) == [5_000_000, 15_000_000]

    names = dict(attraction.institutions.values_list("name", "state"))
    assert names.pop("국방대학교") == "won" and names.pop("국방미래기술센터") == "won"
    assert sorted(names) == sorted(
        [
            "국방AI센터",
            "국방MRO산업육성센터",
            "한국국방연구원",
            "국방전직교육원",
            "전력지원체계연구센터",
            "국방신속획득기술연구원",
            "국방기술진흥연구소",
            "방위사업교육원",
        ]
    )
    assert attraction.trends.order_by("recorded_on", "id").values_list("title", flat=True).first() == (
        "충남도 중점 유치 공공기관 44개소로 확대 조정(기존 34개소)"
    )
    assert attraction.milestones.filter(name__startswith="광고 시행").exists()
    assert attraction.events.get().place == "서울역 앞 옥외전광판"
    assert expo.events.filter(kind="sports", starts_on=dt.date(2024, 3, 3)).exists()

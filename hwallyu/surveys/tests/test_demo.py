import pytest

from hwallyu.surveys import demo, selectors
from hwallyu.surveys.models import Answer, IncentiveEntry, Invitation, Survey

pytestmark = pytest.mark.django_db


def test_demo_round_has_sends_fallbacks_and_a_spread_of_answers(org) -> None:
    demo.build(rows=400)
    survey = Survey.objects.get(title=demo.DEMO_TITLE)
    assert survey.status == "open"
    summary = selectors.response_summary(survey)
    assert summary["queued"] > 250
    assert summary["delivery"]["alimtalk"] > 0 and summary["fallback"] > 0 and summary["delivery"]["failed"] > 0
    answers = Answer.objects.filter(survey=survey)
    assert 0.25 < answers.count() / summary["queued"] < 0.6
    assert answers.values("month").distinct().count() >= 6
    assert IncentiveEntry.objects.filter(survey=survey).exists()
    scores = [r["overall"] for r in selectors.group_scores(survey, "department") if not r["hidden"]]
    assert scores and all(0 <= s <= 100 for s in scores)
    demo.build(rows=400)  # idempotent
    assert Survey.objects.filter(title=demo.DEMO_TITLE).count() == 1
    assert Invitation.objects.filter(survey=survey).count() == summary["queued"]

"""The benchmark data: consistent with what the services would have written."""

from __future__ import annotations

import pytest

from hwallyu.core.benchdata import SCALES, BenchContext


def test_bench_comment_nouns_are_what_the_analyser_finds() -> None:
    from hwallyu.surveys.bench import COMMENTS
    from hwallyu.surveys.keywords import nouns

    assert [set(n) for _, n in COMMENTS] == nouns([t for t, _ in COMMENTS])


@pytest.mark.django_db
def test_bench_rounds_are_consistent_with_the_tables() -> None:
    from hwallyu.org import bench as org_bench
    from hwallyu.surveys import bench, selectors, services, tallies
    from hwallyu.surveys.models import Answer, Invitation, KeywordCount, RegisterEntry, ResultCell, Survey

    ctx = BenchContext(scale=SCALES["tiny"], quiet=True)
    org_bench.generate(ctx)
    bench.generate(ctx)
    rounds = list(Survey.objects.order_by("year", "quarter"))
    assert rounds[-1].status == "open" and all(r.status == "closed" for r in rounds[:-1])
    assert RegisterEntry.objects.count() == ctx.scale.register_rows
    assert Invitation.objects.filter(answered=True).count() == Answer.objects.count()
    for survey in rounds:
        if survey.status == "closed":
            frozen = survey.closing_totals
            assert frozen["invitations"] == selectors.invitation_counts(survey)
            assert frozen["register"] == selectors.register_counts(survey)
            assert not RegisterEntry.objects.filter(survey=survey).exclude(phone="").exists()
        kept = (
            set(ResultCell.objects.filter(survey=survey).values_list("by", "key", "question_id", "n", "total")),
            set(KeywordCount.objects.filter(survey=survey).values_list("word", "n")),
        )
        tallies.rebuild(survey.id)
        assert kept == (
            set(ResultCell.objects.filter(survey=survey).values_list("by", "key", "question_id", "n", "total")),
            set(KeywordCount.objects.filter(survey=survey).values_list("word", "n")),
        )
    # The open round still has processed rows to invite: the lead's invitation benchmark starts here.
    current = rounds[-1]
    assert services.eligible_entries(current).exists()

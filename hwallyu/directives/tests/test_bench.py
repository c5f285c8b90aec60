"""The benchmark directives: consistent with the app's own rules, so the pages and services work on them."""

import datetime as dt

import pytest

from hwallyu.core.benchdata import SCALES, BenchContext
from hwallyu.directives import bench, reviews, services
from hwallyu.directives.models import (
    OPEN_STATES,
    CloseRequest,
    Directive,
    DirectiveCounter,
    DirectiveEvent,
    DirectiveReport,
    QuarterlyReview,
    ReviewStatus,
    State,
)
from hwallyu.org import bench as org_bench
from hwallyu.org.selectors import department_by_code, users_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    ctx = BenchContext(scale=SCALES["tiny"], quiet=True)
    org_bench.generate(ctx)
    return ctx, bench.build(ctx)


def test_numbers_are_gapless_and_the_counter_takes_the_next(loaded):
    ctx, gen = loaded
    for year in ctx.years:
        seqs = list(Directive.objects.filter(year=year).order_by("seq").values_list("seq", flat=True))
        assert seqs == list(range(1, len(seqs) + 1))
        assert DirectiveCounter.objects.get(year=year).last == len(seqs)
        numbers = list(Directive.objects.filter(year=year).order_by("given_at", "seq").values_list("seq", flat=True))
        assert numbers == seqs  # numbered in the order given
    planner = next(u for u in users_with_role("planning") if u.username == "bench-planner")
    last = ctx.scale.last_year
    directive = services.directive_register(
        data=services.DirectiveInput(
            title="벤치 뒤 첫 등록",
            given_at=dt.datetime(last, 11, 20, 17, 30, tzinfo=reviews.SEOUL),
            source="간부회의",
            given_by="시장",
            lead_department=department_by_code("D002"),
        ),
        actor=planner,
        at=dt.datetime(last, 11, 20, 17, 40, tzinfo=reviews.SEOUL),
    )
    assert directive.number == f"{last}-{DirectiveCounter.objects.get(year=last).last:04d}"
    assert directive.pk > max(p.id for p in gen.plans)
    report = services.directive_report(
        directive=services.directive_share(directive=directive, actor=planner), actor=planner, kind="first", body="착수"
    )
    assert report.pk > DirectiveReport.objects.exclude(pk=report.pk).order_by("-pk").first().pk


def test_states_follow_the_dates(loaded):
    ctx, gen = loaded
    last = ctx.scale.last_year
    closed = Directive.objects.exclude(state__in=OPEN_STATES)
    assert not closed.filter(closed_at__isnull=True).exists()
    assert not Directive.objects.filter(state__in=OPEN_STATES, closed_at__isnull=False).exists()
    assert not Directive.objects.filter(state=State.REGISTERED, shared_at__isnull=False).exists()
    assert not Directive.objects.filter(state=State.SHARED, first_reported_at__isnull=False).exists()
    assert not Directive.objects.filter(state=State.COMPLETED, kind="order", result_reported_at__isnull=True).exists()
    # each closed directive was closed through an approved request; the events tell the story
    assert CloseRequest.objects.filter(status="approved").count() == closed.count()
    assert DirectiveEvent.objects.filter(kind="registered").count() == Directive.objects.count()
    shared = Directive.objects.filter(shared_at__isnull=False)
    assert DirectiveEvent.objects.filter(kind="shared").count() == shared.count()
    # older years mostly finished, the last one a mix with some overdue
    older = Directive.objects.filter(year__lt=last)
    assert older.filter(state__in=OPEN_STATES).count() < older.count() * 0.05
    assert Directive.objects.filter(year=last, state__in=OPEN_STATES).exists()
    now = gen.now
    assert not Directive.objects.filter(given_at__gt=now).exists()
    assert not DirectiveEvent.objects.filter(at__gt=now).exists()


def test_the_replayed_review_is_the_apps_own(loaded):
    """The snapshots are replayed from the plans: at the dataset's "now" the replay gives exactly what
    compute_review reads from the tables, and every ended quarter has its approved review."""
    ctx, gen = loaded
    for year in ctx.years:
        for quarter in range(1, 5):
            replayed = bench.review_snapshot(gen.plans, year, quarter, gen.now, gen.dept_order)
            assert replayed == reviews.compute_review(year, quarter, now=gen.now)
    approved = QuarterlyReview.objects.filter(status=ReviewStatus.APPROVED)
    assert approved.count() == len(ctx.years) * 4 - 1  # all but the current quarter
    q3 = approved.get(year=ctx.scale.last_year, quarter=3)
    assert q3.approved_at >= reviews.quarter_end(ctx.scale.last_year, 3)
    assert q3.snapshot["total"]["total"] == Directive.objects.filter(year=ctx.scale.last_year, quarter__lte=3).count()

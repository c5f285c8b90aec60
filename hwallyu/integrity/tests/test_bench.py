"""The benchmark cases are really sealed: the bench handler and the receipts open them."""

from __future__ import annotations

import pytest

from hwallyu.core.benchdata import BENCH_ACCOUNTS, SCALES, BenchContext


@pytest.mark.django_db
def test_bench_cases_open_with_the_handler_passphrase_and_their_receipts() -> None:
    from django.contrib.auth import get_user_model

    from hwallyu.integrity import bench, crypto
    from hwallyu.integrity.models import Case, CaseCounter, CaseStep, Step
    from hwallyu.integrity.services.cases import case_open, receipt_open
    from hwallyu.integrity.services.keys import handler_unlock
    from hwallyu.org import bench as org_bench

    ctx = BenchContext(scale=SCALES["tiny"], quiet=True)
    org_bench.generate(ctx)
    bench.generate(ctx)
    assert Case.objects.count() == ctx.scale.integrity_cases
    auditor = get_user_model().objects.get(username=BENCH_ACCOUNTS["audit"])
    _, private = handler_unlock(actor=auditor, passphrase=bench.BENCH_HANDLER_PASSPHRASE)
    for case in Case.objects.all():
        content = case_open(case=case, actor=auditor, private_key=private)
        assert content.title and content.body
        assert (case.step == Step.CLOSED) == (case.closed_at is not None)
        assert CaseStep.objects.filter(case=case, done_at__isnull=True).count() == (0 if case.is_closed else 1)
    sample = ctx.shared["integrity"]["receipt_sample"]
    production = crypto.kdf_params()
    for number in [*sample, Case.objects.order_by("received_at").first().number]:
        case, key = receipt_open(receipt=bench.bench_receipt(number))
        assert case.number == number
        assert crypto.public_key_of(key) == bytes(case.public_key)
        if number in sample:
            assert (case.receipt_kdf_time_cost, case.receipt_kdf_memory_kib) == (
                production.time_cost,
                production.memory_kib,
            )
    # A case filed after the bench load gets the next number of its year.
    last = Case.objects.order_by("-received_at").first()
    assert CaseCounter.objects.get(year=last.year).last == int(last.number.split("-")[1])

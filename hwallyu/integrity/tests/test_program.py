"""The integrity index, the measures plan, the year report, the set-up commands and the demo."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from hwallyu.api.base import ServiceError
from hwallyu.integrity import crypto
from hwallyu.integrity.models import Broadcast, IntegrityIndex, IntegrityScheme, MeasurePlan, OfficeKey
from hwallyu.integrity.selectors import composite_of, grade_for, index_rows, scheme_for, target_view
from hwallyu.integrity.services import program

D = Decimal


def _seed_history() -> None:
    for year, grade in ((2021, 4), (2022, 3), (2023, 4)):
        IntegrityIndex.objects.create(year=year, grade=grade)


def test_composite_uses_the_years_weights_and_caps_the_deduction(db):
    scheme = IntegrityScheme(year=2024)
    assert composite_of(D("80"), D("90"), D("2.5"), scheme) == D("81.50")  # 80×0.6 + 90×0.4 − 2.5
    assert composite_of(D("80"), D("90"), D("15"), scheme) == D("74.00")  # deduction capped at 10
    scheme.perceived_weight, scheme.effort_weight = D("0.7"), D("0.3")
    assert composite_of(D("80"), D("90"), D("0"), scheme) == D("83.00")
    assert composite_of(None, D("90"), D("0"), scheme) is None


def test_perceived_is_computed_from_external_and_internal_when_not_published(db):
    IntegrityScheme.objects.create(year=2024, external_share=D("0.6"))
    IntegrityIndex.objects.create(
        year=2024, perceived_external=D("80"), perceived_internal=D("70"), effort=D("85"), deduction=D("1")
    )
    row = index_rows()[0]
    assert row.perceived == D("76.00") and row.perceived_computed
    assert row.composite == D("78.60")  # 76×0.6 + 85×0.4 − 1


def test_target_view_shows_what_the_next_grade_needs(db):
    IntegrityIndex.objects.create(year=2023, grade=4, perceived=D("74"), effort=D("80"), deduction=D("1"))
    IntegrityScheme.objects.create(year=2024, cutoff_1=D("85"), cutoff_2=D("80"), cutoff_3=D("76"), cutoff_4=D("70"))
    target = target_view(2024)
    assert target.base.year == 2023 and target.base.composite == D("75.40")
    assert target.base_grade == 4 and target.next_grade == 3
    line = next(x for x in target.lines if x.grade == 3)
    assert line.cutoff == D("76") and line.gap == D("0.60")
    # perceived needed with the same effort and deduction: (76 + 1 − 80×0.4) / 0.6 = 75
    assert line.perceived_needed == D("75.00")
    assert grade_for(D("80.5"), scheme_for(2024).cutoffs()) == 2
    assert grade_for(D("60"), scheme_for(2024).cutoffs()) == 5


def test_cutoffs_must_fall_with_the_grade(org):
    with pytest.raises(ServiceError, match="높아야"):
        program.scheme_save(year=2024, values={"cutoff_1": D("80"), "cutoff_2": D("85")}, actor=org.auditor)


def test_deduction_is_at_most_ten(org):
    with pytest.raises(ServiceError, match="10점"):
        program.index_save(year=2024, values={"deduction": D("11")}, actor=org.auditor)


def test_the_scheme_of_a_new_year_copies_the_previous_year(db):
    IntegrityScheme.objects.create(year=2023, review_days=7, perceived_weight=D("0.55"), effort_weight=D("0.45"))
    copy = scheme_for(2024)
    assert copy.pk is None and copy.year == 2024 and copy.review_days == 7 and copy.effort_weight == D("0.45")
    assert scheme_for(2020).review_days == 10  # defaults before any scheme


def test_index_page_shows_the_seed_history_and_a_chart(client, org):
    _seed_history()
    client.force_login(org.planner)
    page = client.get(reverse("integrity:index"))
    text = page.content.decode()
    for year, grade in (("2021", 4), ("2022", 3), ("2023", 4)):
        assert re.search(rf"{year}년</th>.*?<strong>{grade}등급</strong>", text, re.S)
    chart = re.search(r"data-chart='([^']+)'", text).group(1)
    data = json.loads(chart.replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&"))
    assert data["data"]["labels"] == ["2021", "2022", "2023"]
    assert data["data"]["datasets"][0]["data"] == [4, 3, 4]
    assert "chart.umd.min.js" in text and "<script>" not in text
    assert "수정" not in text  # the planning office reads only


def test_auditor_enters_a_years_result(client, org):
    client.force_login(org.auditor)
    response = client.post(
        reverse("integrity:index_edit", args=[2024]),
        {"perceived": "78.5", "effort": "82", "deduction": "1.2", "grade": "3", "note": ""},
    )
    assert response.status_code == 302
    record = IntegrityIndex.objects.get(year=2024)
    assert record.grade == 3 and record.perceived == D("78.5")
    bad = client.post(reverse("integrity:index_edit", args=[2025]), {"deduction": "12", "grade": "3"})
    assert bad.status_code == 200 and "10점" in bad.content.decode()


def test_scheme_page_saves_weights_per_year(client, org):
    client.force_login(org.auditor)
    fields = {
        "received_days": 3,
        "review_days": 10,
        "investigation_days": 30,
        "action_days": 30,
        "perceived_weight": "0.65",
        "effort_weight": "0.35",
        "external_share": "0.5",
        "max_deduction": "10",
        "cutoff_1": "85",
        "cutoff_2": "80",
        "cutoff_3": "",
        "cutoff_4": "",
        "retention_days": 1095,
        "year": 2025,
    }
    response = client.post(f"{reverse('integrity:scheme')}?year=2025", fields)
    assert response.status_code == 302
    assert IntegrityScheme.objects.get(year=2025).perceived_weight == D("0.65")
    client.force_login(org.planner)
    assert client.post(f"{reverse('integrity:scheme')}?year=2025", fields).status_code == 403


# --- measures -----------------------------------------------------------------------------------------


def test_relay_plan_puts_the_mayor_first_and_goes_weekly_around_holidays(org):
    plan = program.plan_get_or_create(year=2024, actor=org.auditor)
    made = program.broadcast_relay_plan(
        plan=plan,
        start=dt.date(2024, 9, 9),
        speakers=[("부시장", "김부시장", "청렴"), ("시장", "백시장", "신뢰"), ("기획감사실장", "이실장", "공정")],
        actor=org.auditor,
    )
    assert [b.speaker_title for b in made] == ["시장", "부시장", "기획감사실장"]
    # Mon 9 Sep; the week of 16 Sep is Chuseok (16–18) → Thu 19 Sep; then Mon 23 Sep.
    assert [b.on_date for b in made] == [dt.date(2024, 9, 9), dt.date(2024, 9, 19), dt.date(2024, 9, 23)]


def test_measures_page_calendar_and_forms(client, org):
    client.force_login(org.auditor)
    client.post(reverse("integrity:plan_save", args=[2024]), {"survey_url": "/s/demo", "note": "연간 계획"})
    client.post(
        reverse("integrity:broadcast_relay", args=[2024]),
        {"start": "2024-01-08", "weekday": "0", "speakers": "시장, 백시장, 청렴의 시작\n부시장, 김부시장, 청탁 거절"},
    )
    client.post(
        reverse("integrity:auditor_add", args=[2024]),
        {
            "name": "이감사관",
            "field": "회계",
            "affiliation": "세무사",
            "term_start": "2024-02-01",
            "term_end": "2026-01-31",
            "active": "on",
        },
    )
    client.post(
        reverse("integrity:guide_add", args=[2024]),
        {"on_date": "2024-03-11", "edition": "2024년판", "recipients": "신규 임용자", "copies": "40"},
    )
    client.post(
        reverse("integrity:measure_add", args=[2024]),
        {
            "kind": "new_staff_guide",
            "title": "청렴길라잡이 배부",
            "owner": org.auditor.pk,
            "starts_on": "2024-03-01",
            "ends_on": "2024-03-31",
            "status": "planned",
            "record": "",
        },
    )
    plan = MeasurePlan.objects.get(year=2024)
    assert plan.survey_url == "/s/demo" and plan.broadcasts.count() == 2 and plan.measures.count() == 1
    page = client.get(reverse("integrity:measures_year", args=[2024])).content.decode()
    assert "백시장" in page and "이감사관" in page and "신규 임용자" in page and "청렴길라잡이 배부" in page
    january = client.get(reverse("integrity:measures_calendar", args=[2024]) + "?month=1").content.decode()
    assert "백시장" in january and "김부시장" in january
    march = client.get(reverse("integrity:measures_calendar", args=[2024]) + "?month=3").content.decode()
    assert "신규 임용자" in march and "시책 시작" in march
    done = Broadcast.objects.filter(plan=plan).first()
    client.post(reverse("integrity:broadcast_done", args=[2024, done.pk]), {"record": "방송 완료"})
    done.refresh_from_db()
    assert done.done


def test_planning_office_reads_measures_but_cannot_change_them(client, org):
    client.force_login(org.planner)
    assert client.get(reverse("integrity:measures_year", args=[2024])).status_code == 200
    response = client.post(reverse("integrity:plan_save", args=[2024]), {"survey_url": "/s/", "note": ""})
    assert response.status_code == 403
    assert not MeasurePlan.objects.exists()


@pytest.mark.parametrize("fmt", ["hwpx", "xlsx"])
def test_year_report_downloads(client, org, fmt):
    _seed_history()
    program.plan_get_or_create(year=2024, actor=org.auditor)
    client.force_login(org.executive)
    response = client.get(reverse("integrity:measures_report", args=[2024, fmt]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    if fmt == "xlsx":
        import openpyxl

        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    else:
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            text = "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml"))
    assert "2024년 청렴 시책 추진 현황" in text and "4등급" in text and "청렴 방송 릴레이" in text


def test_report_contains_case_counts_only(org, handler):
    from hwallyu.integrity.reports import year_report

    from .conftest import file_case

    case, _ = file_case(title="보고서에 나오면 안 되는 제목")
    report = year_report(case.year)
    dumped = repr(report)
    assert "보고서에 나오면" not in dumped and case.number not in dumped


# --- set-up commands ------------------------------------------------------------------------------------


def test_integrity_setup_prints_the_recovery_key_once_and_stores_only_the_public_key(db):
    out = io.StringIO()
    call_command("integrity_setup", stdout=out)
    text = out.getvalue()
    groups = re.search(r"^\s{4}([A-Z2-7 ]+)$", text, re.M).group(1)
    private = base64.b32decode("".join(groups.split()) + "====")
    office = OfficeKey.objects.get()
    assert crypto.public_key_of(private) == bytes(office.public_key)
    assert private not in bytes(office.public_key)
    with pytest.raises(Exception, match="이미"):
        call_command("integrity_setup", stdout=io.StringIO())


def test_integrity_reseal_command(handler, second_auditor, monkeypatch):
    from hwallyu.integrity.models import CaseSeal, OfficeKey
    from hwallyu.integrity.services.keys import handler_key_create

    from .conftest import PASSPHRASE2, file_case

    OfficeKey.objects.all().delete()
    out = io.StringIO()
    call_command("integrity_setup", stdout=out)
    key_text = re.search(r"^\s{4}([A-Z2-7 ]+)$", out.getvalue(), re.M).group(1)
    file_case()
    key = handler_key_create(actor=second_auditor, passphrase=PASSPHRASE2)
    monkeypatch.setattr("sys.stdin", io.StringIO(key_text + "\n"))
    result = io.StringIO()
    call_command("integrity_reseal", "--user", "auditor2", stdout=result)
    assert "1건" in result.getvalue()
    assert CaseSeal.objects.filter(handler_key=key).count() == 1


# --- demo -----------------------------------------------------------------------------------------------


def test_demo_loads_handlers_cases_history_and_plan_and_is_idempotent(org, settings):
    from hwallyu.integrity import demo
    from hwallyu.integrity.models import Case, HandlerKey
    from hwallyu.integrity.services.cases import receipt_open, reporter_view

    demo.load()
    demo.load()
    assert HandlerKey.objects.filter(designated=True).count() == 3
    assert Case.objects.count() == len(demo.CASES)
    assert set(Case.objects.values_list("step", flat=True)) == {"received", "review", "investigation", "closed"}
    assert list(IntegrityIndex.objects.order_by("year").values_list("year", "grade")) == [
        (2021, 4),
        (2022, 3),
        (2023, 4),
    ]
    assert MeasurePlan.objects.get(year=2024).broadcasts.first().speaker_title == "시장"
    case, private = receipt_open(receipt=demo.demo_receipt(0))
    assert reporter_view(case, private).messages


scores = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@given(perceived=scores, effort=scores, deduction=st.decimals(min_value=0, max_value=20, places=2))
def test_composite_never_exceeds_the_weighted_sum_and_loses_at_most_the_cap(perceived, effort, deduction):
    scheme = IntegrityScheme(year=2024)
    value = composite_of(perceived, effort, deduction, scheme)
    weighted = perceived * D("0.6") + effort * D("0.4")
    assert weighted - D("10.01") <= value <= weighted + D("0.01")


@given(a=scores, b=scores)
def test_a_higher_composite_never_gets_a_worse_grade(a, b):
    cutoffs = {1: D("85"), 2: D("80"), 3: D("75"), 4: D("70")}
    low, high = sorted((a, b))
    assert grade_for(high, cutoffs) <= grade_for(low, cutoffs)

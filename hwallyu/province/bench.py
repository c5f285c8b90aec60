"""Benchmark data of the province evaluation: an evaluation year per benchmark year with its deadlines,
``scale.province_indicators`` indicators in all (about 85 % quantitative) owned by one to three
departments, the monthly cumulative actuals of every quantitative indicator (January–December for past
years, up to last month for this year), the qualitative work (write-ups, consulting, checklist) and the
published results of the 15 cities and counties for the past years.

The same indicator codes come back every year (as they do in the province's scheme), so last year's
actuals shape this year's forecast.  Past years are finished: every actual accepted, every qualitative
indicator submitted.  This year (``ctx.today`` = 20 November) the September and October actuals are
partly waiting for review, a few were returned, a few departments have not entered October yet, and
some qualitative indicators missed the 31 October deadline.  The June and December actuals and this
year's latest have a tiny evidence file each.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Q

from hwallyu.core.benchdata import BENCH_ACCOUNTS, BenchContext, BenchPage
from hwallyu.core.calendar import SEOUL, get_calendar
from hwallyu.province.demo import LAG_REASONS, PEERS, QUALITATIVE, QUANTITATIVE
from hwallyu.province.models import (
    DEFAULT_CHECKLIST,
    Actual,
    ActualStatus,
    ChecklistCheck,
    CityGroup,
    ConsultingEntry,
    Deadline,
    EvaluationYear,
    Evidence,
    Indicator,
    PeerResult,
    WriteupVersion,
)
from hwallyu.province.services.years import expected_deadlines

QUALITATIVE_SHARE = 0.15
DECIMAL_UNITS = {"%", "km", "ha", "kg", "억원", "천㎡"}
BACK_LOADED = [0.04, 0.09, 0.16, 0.25, 0.34, 0.43, 0.52, 0.61, 0.70, 0.79, 0.89, 1.0]
REGIONS = ["", "(읍면 지역)", "(동 지역)", "(청년층)", "(고령층)", "(취약계층)", "(신규 사업)"]
GENERIC_REASONS = [
    "상반기 사업 착수 지연. 하반기 집중 추진 및 추가 모집으로 만회 예정.",
    "국비 교부 지연으로 집행 부진. 교부 즉시 집행, 읍면동 설명회 개최.",
    "대상자 신청 저조. 찾아가는 홍보와 신청 절차 간소화 추진.",
    "담당 인력 결원(1명). 충원 후 대상 발굴 강화.",
    "기상 여건 악화로 현장 사업 지연. 일정 재조정 후 연말까지 완료 예정.",
]
EXPERTS = [
    "충남연구원 연구위원",
    "한국지방행정연구원 박사",
    "행정안전부 컨설턴트",
    "건양대학교 교수",
    "충남도 평가 전문위원",
]
ADVICE = [
    "성과 지표를 정량화하여 제시할 것.",
    "타 시군과 차별되는 점을 앞부분에 배치.",
    "주민 체감 사례 위주로 정리.",
    "추진 전후 비교 자료를 보강할 것.",
]
EVIDENCE_BYTES = b"%PDF-1.4\n% bench evidence\n%%EOF\n"


def _lines(text: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.split("|")] for line in text.strip().splitlines()]


def _round(value: float, unit: str) -> Decimal:
    places = Decimal("0.1") if unit in DECIMAL_UNITS else Decimal(1)
    return Decimal(str(round(value, 4))).quantize(places, rounding=ROUND_HALF_UP)


def _at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SEOUL)


def _after_month(year: int, month: int, day: int) -> dt.date:
    """``day`` of the month after ``month`` (the entry window)."""
    return dt.date(year + 1, 1, day) if month == 12 else dt.date(year, month + 1, day)


class _Templates:
    """Indicator templates (the demo's 75 quantitative and 15 qualitative rows), repeated with a
    sub-group suffix when the scale asks for more."""

    def __init__(self) -> None:
        self.quantitative = _lines(QUANTITATIVE)
        self.qualitative = _lines(QUALITATIVE)

    def quantitative_row(self, i: int) -> dict[str, Any]:
        code, field, policy, name, unit, direction, target, points, owners = self.quantitative[
            i % len(self.quantitative)
        ]
        round_ = i // len(self.quantitative)
        return {
            "code": code if round_ == 0 else f"{code}-{round_ + 1}",
            "field": field,
            "policy": policy,
            "name": name + REGIONS[round_ % len(REGIONS)] if round_ else name,
            "unit": unit,
            "direction": "rising" if direction == "상향" else "falling",
            "target": float(target) * (1 if round_ == 0 else 0.3),
            "points": Decimal(points),
            "owners": owners.split(";"),
        }

    def qualitative_row(self, i: int) -> dict[str, Any]:
        code, policy, name, owners = self.qualitative[i % len(self.qualitative)]
        round_ = i // len(self.qualitative)
        return {
            "code": code if round_ == 0 else f"{code}-{round_ + 1}",
            "policy": policy,
            "name": name if round_ == 0 else f"{name} {round_ + 1}",
            "owners": owners.split(";"),
        }


def _counts(ctx: BenchContext) -> dict[int, tuple[int, int]]:
    """(quantitative, qualitative) indicator counts per year."""
    out = {}
    for year, count in zip(ctx.years, ctx.spread(ctx.scale.province_indicators, ctx.years), strict=True):
        qualitative = max(1, round(count * QUALITATIVE_SHARE))
        out[year] = (count - qualitative, qualitative)
    return out


def quantitative_indicators(ctx: BenchContext, year: int) -> list[tuple[str, str, list[str]]]:
    """(code, name, owning department names) of the quantitative indicators this generator makes for
    ``year``, so the department evaluation's benchmark (which runs first) can link to them."""
    templates = _Templates()
    rows = [templates.quantitative_row(i) for i in range(_counts(ctx).get(year, (0, 0))[0])]
    return [(r["code"], r["name"], r["owners"]) for r in rows]


def generate(ctx: BenchContext) -> None:
    from django.contrib.auth import get_user_model

    from hwallyu.org.models import Role
    from hwallyu.org.selectors import city, departments, people

    rng = ctx.rng("province")
    today = ctx.today
    departments_all = list(departments().order_by("order", "code"))
    by_name = {d.name: d for d in departments_all}
    dept2 = next((d for d in departments_all if d.code == "D002"), departments_all[min(1, len(departments_all) - 1)])
    users_by_department: dict[int, list[int]] = defaultdict(list)
    planner_ids: list[int] = []
    for user_id, department_id, role in people().values_list("user_id", "department_id", "role"):
        users_by_department[department_id].append(user_id)
        if role == Role.PLANNING:
            planner_ids.append(user_id)
    planner = get_user_model().objects.filter(username=BENCH_ACCOUNTS["planning"]).values_list("pk", flat=True).first()
    reviewer_id = planner or (planner_ids[0] if planner_ids else None)

    # --- years and deadlines -------------------------------------------------------------------
    calendar = get_calendar()
    EvaluationYear.objects.bulk_create(
        [
            EvaluationYear(
                year=year,
                title=f"{year}년 위임사무 시군평가(충청남도)",
                city_group=CityGroup.CITY,
                qualitative_deadline=dt.date(year, 10, 31),
                quantitative_deadline=dt.date(year, 12, 31),
                reminder_days=[3, 1, 0],
                qualitative_checklist=list(DEFAULT_CHECKLIST),
            )
            for year in ctx.years
        ]
    )
    years = {y.year: y for y in EvaluationYear.objects.all()}
    deadlines = []
    for evaluation_year in years.values():
        for (kind, month), due in expected_deadlines(evaluation_year, calendar).items():
            deadlines.append(Deadline(evaluation_year=evaluation_year, kind=kind, month=month, due_at=due))
    Deadline.objects.bulk_create(deadlines)

    # --- indicators and their departments -------------------------------------------------------
    templates = _Templates()
    counts = _counts(ctx)

    def owners_of(names: list[str], salt: int) -> list[Any]:
        found = [by_name[n] for n in names if n in by_name]
        if not found:
            found = [departments_all[(salt * 7 + 3) % len(departments_all)]]
        return found

    plans: list[dict[str, Any]] = []  # one per indicator: what the actuals need
    indicators: list[Indicator] = []
    owner_codes: dict[tuple[int, str], list[Any]] = {}
    for year in ctx.years:
        evaluation_year = years[year]
        quantitative_count, qualitative_count = counts[year]
        growth = 1 + 0.03 * (year - ctx.years[0])
        order = 0
        for i in range(quantitative_count):
            row = templates.quantitative_row(i)
            order += 1
            owners = owners_of(row["owners"], i)
            if i % 8 == 1 and dept2 not in owners:
                owners = [*owners, dept2]
            target = _round(row["target"] * growth, row["unit"])
            if target <= 0:
                target = Decimal(1)
            profiled = i % 10 == 3
            prior = (
                [str(_round(float(target) * 0.95 * s, row["unit"])) for s in BACK_LOADED]
                if profiled and year == ctx.years[0]
                else []
            )
            indicators.append(
                Indicator(
                    evaluation_year=evaluation_year,
                    code=row["code"],
                    field=row["field"],
                    policy=row["policy"],
                    name=row["name"],
                    kind="quantitative",
                    unit=row["unit"],
                    direction=row["direction"],
                    target=target,
                    points=row["points"],
                    evidence_rule="월별 실적 보고서 및 근거 자료(공문, 시스템 화면 등)",
                    prior_profile=prior,
                    order=order,
                )
            )
            owner_codes[(year, row["code"])] = owners
            plans.append({"year": year, "code": row["code"], "profiled": profiled, "owners": owners, "index": i})
        for i in range(qualitative_count):
            row = templates.qualitative_row(i)
            order += 1
            owners = owners_of(row["owners"], i + 50)
            if i == 0 and dept2 not in owners:
                owners = [*owners, dept2]
            indicators.append(
                Indicator(
                    evaluation_year=evaluation_year,
                    code=row["code"],
                    field="정성평가",
                    policy=row["policy"],
                    name=row["name"],
                    kind="qualitative",
                    points=Decimal("1.3"),
                    evidence_rule="우수사례 보고서(10쪽 이내), 추진 실적 증빙, 언론 보도 자료",
                    order=order,
                )
            )
            owner_codes[(year, row["code"])] = owners
    ctx.bulk_create(Indicator, indicators, desc="시군평가 지표", total=len(indicators))
    ids: dict[tuple[int, str], tuple[int, str, Decimal | None, str, str]] = {
        (year, code): (pk, kind, target, unit, direction)
        for pk, year, code, kind, target, unit, direction in Indicator.objects.values_list(
            "pk", "evaluation_year__year", "code", "kind", "target", "unit", "direction"
        )
    }
    Through = Indicator.departments.through
    ctx.bulk_create(
        Through,
        (Through(indicator_id=ids[key][0], department_id=d.pk) for key, owners in owner_codes.items() for d in owners),
        desc="시군평가 담당 부서",
    )

    # --- monthly cumulative actuals ---------------------------------------------------------------
    this_year = ctx.years[-1]
    last_month_now = today.month - 1 if today.year == this_year else 12

    def actual_rows() -> Iterator[Actual]:
        for plan in plans:
            year, code = plan["year"], plan["code"]
            pk, _, target, unit, direction = ids[(year, code)]
            assert target is not None
            r = random.Random(f"{ctx.seed}:{ctx.scale.name}:province:{year}:{code}")
            current = year == this_year
            last = last_month_now if current else 12
            falling = direction == "falling"
            roll = r.random()
            if current:
                # A fixed share by position, so every scale has lagging and achieved indicators.
                index = plan["index"]
                if index % 7 == 2:
                    pace, lagging = (r.uniform(1.08, 1.45) if falling else r.uniform(0.6, 0.9)), True
                elif index % 10 == 5 and not falling:
                    pace, lagging = r.uniform(1.3, 1.45), False
                else:
                    pace, lagging = (r.uniform(0.72, 0.94) if falling else r.uniform(1.03, 1.16)), False
            else:
                lagging = roll < 0.22
                if falling:
                    pace = r.uniform(1.05, 1.3) if lagging else r.uniform(0.7, 0.97)
                else:
                    pace = r.uniform(0.8, 0.97) if lagging else r.uniform(1.0, 1.2)
            shares = BACK_LOADED if plan["profiled"] else [m / 12 for m in range(1, 13)]
            late_department = current and r.random() < 0.06  # has not entered October yet
            owner = plan["owners"][0]
            submitters: Sequence[int | None] = users_by_department.get(owner.pk) or [reviewer_id]
            reason = LAG_REASONS.get(code.split("-")[0] + "-" + code.split("-")[1], "") if lagging else ""
            if lagging and not reason:
                reason = GENERIC_REASONS[r.randrange(len(GENERIC_REASONS))]
            previous = Decimal(0)
            for month in range(1, last + 1):
                if late_department and month == last:
                    break
                wobble = 1 + r.uniform(-0.03, 0.03) if month < 12 else 1.0
                value = max(_round(float(target) * pace * shares[month - 1] * wobble, unit), previous)
                previous = value
                submitted_on = _after_month(year, month, r.randint(1, 8))
                status = ActualStatus.ACCEPTED
                comment = ""
                if current and month == last:
                    pick = r.random()
                    status = (
                        ActualStatus.SUBMITTED
                        if pick < 0.62
                        else (ActualStatus.RETURNED if pick < 0.68 else ActualStatus.ACCEPTED)
                    )
                elif current and month == last - 1 and r.random() < 0.1:
                    status = ActualStatus.SUBMITTED
                if status == ActualStatus.RETURNED:
                    comment = "증빙자료가 누계 실적과 맞지 않습니다. 확인 후 다시 입력하세요."
                decided = status != ActualStatus.SUBMITTED
                submitted_at = _at(submitted_on, 9 + r.randrange(8), r.randrange(60))
                yield Actual(
                    indicator_id=pk,
                    month=month,
                    value=value,
                    note="전월 중복 집계분 정정" if r.random() < 0.01 else "",
                    lag_reason=reason if lagging and month >= (9 if current else 10) else "",
                    status=status,
                    department_id=owner.pk,
                    submitted_by_id=submitters[(month + pk) % len(submitters)],
                    submitted_at=submitted_at,
                    decided_by_id=reviewer_id if decided else None,
                    decided_at=submitted_at + dt.timedelta(days=2, hours=3) if decided else None,
                    decision_comment=comment,
                )

    expected = sum(12 for p in plans if p["year"] != this_year) + sum(
        last_month_now for p in plans if p["year"] == this_year
    )
    ctx.bulk_create(Actual, actual_rows(), desc="시군평가 월별 실적", total=expected)

    # --- evidence: a tiny stored file for the half-year and year-end actuals and this year's latest ------
    evidence_source = Actual.objects.filter(
        Q(month__in=(6, 12)) | Q(month=last_month_now, indicator__evaluation_year__year=this_year)
    ).values_list("id", "indicator_id", "month", "submitted_by_id", "submitted_at")

    def evidence_rows() -> Iterator[Evidence]:
        for actual_id, indicator_id, month, user_id, at in evidence_source.iterator(chunk_size=ctx.batch_size):
            name = f"{month:02d}월_실적_증빙_{actual_id}.pdf"
            stored = default_storage.save(f"province/bench/{indicator_id}/{name}", ContentFile(EVIDENCE_BYTES))
            yield Evidence(
                actual_id=actual_id,
                file=stored,
                name=name,
                size=len(EVIDENCE_BYTES),
                uploaded_by_id=user_id,
                uploaded_at=at,
            )

    ctx.bulk_create(Evidence, evidence_rows(), desc="시군평가 증빙", total=evidence_source.count())

    # --- qualitative work --------------------------------------------------------------------------
    writeups: list[WriteupVersion] = []
    consultations: list[ConsultingEntry] = []
    checks: list[ChecklistCheck] = []
    submitted: dict[int, tuple[dt.datetime, int | None]] = {}
    for (year, code), (pk, kind, _, _, _) in sorted(ids.items()):
        if kind != "qualitative":
            continue
        r = random.Random(f"{ctx.seed}:{ctx.scale.name}:province-q:{year}:{code}")
        owner = owner_codes[(year, code)][0]
        authors: Sequence[int | None] = users_by_department.get(owner.pk) or [reviewer_id]
        author = authors[r.randrange(len(authors))]
        name = next(i.name for i in indicators if i.evaluation_year.year == year and i.code == code)
        for version in range(1, r.randint(1, 3) + 1):
            writeups.append(
                WriteupVersion(
                    indicator_id=pk,
                    version=version,
                    title=name if version == 1 else f"{name} ({version}차 보완)",
                    body=f"{name} 추진 경과와 성과({version}판). 주요 실적, 주민 체감 효과, 향후 계획을 정리했습니다.",
                    author_id=author,
                    created_at=_at(dt.date(year, 5 + version * 2, 15), 14),
                )
            )
        for n in range(r.randint(0, 3)):
            held_on = dt.date(year, 5 + n * 2, r.randint(1, 25))
            consultations.append(
                ConsultingEntry(
                    indicator_id=pk,
                    held_on=held_on,
                    expert=EXPERTS[r.randrange(len(EXPERTS))],
                    advice=ADVICE[r.randrange(len(ADVICE))],
                    follow_up="보고서에 반영" if r.random() < 0.7 else "",
                    created_by_id=author,
                    created_at=_at(held_on, 17),
                )
            )
        done = year != this_year or r.random() < 0.8
        labels = DEFAULT_CHECKLIST if done else DEFAULT_CHECKLIST[: r.randint(0, 2)]
        for label in labels:
            checks.append(
                ChecklistCheck(
                    indicator_id=pk, label=label, checked_by_id=author, checked_at=_at(dt.date(year, 10, 20), 11)
                )
            )
        if done:
            submitted[pk] = (_at(dt.date(year, 10, r.randint(21, 30)), 16), author)
    WriteupVersion.objects.bulk_create(writeups, batch_size=ctx.batch_size)
    ConsultingEntry.objects.bulk_create(consultations, batch_size=ctx.batch_size)
    ChecklistCheck.objects.bulk_create(checks, batch_size=ctx.batch_size)
    to_update = list(Indicator.objects.filter(pk__in=list(submitted)).only("pk"))
    for indicator in to_update:
        indicator.submitted_at, indicator.submitted_by_id = submitted[indicator.pk]
    Indicator.objects.bulk_update(to_update, ["submitted_at", "submitted_by"], batch_size=ctx.batch_size)

    # --- published results of the 15 cities and counties (past years) ------------------------------
    own_name = city().name or "벤치시"
    template = PEERS[max(PEERS)]
    places = {
        "city": [own_name if p == "논산시" else p for p, _ in template["city"]],
        "county": [p for p, _ in template["county"]],
    }
    peers: list[PeerResult] = []
    imported_at = _at(dt.date(ctx.years[-1], 4, 30))
    for year in ctx.years[:-1]:
        for group, names in places.items():
            scored = sorted(((round(rng.uniform(81, 93), 1), n) for n in names), reverse=True)
            for rank, (score, place) in enumerate(scored, start=1):
                peers.append(
                    PeerResult(
                        year=year,
                        place=place,
                        group=group,
                        score=Decimal(str(score)),
                        rank=rank,
                        is_self=place == own_name,
                        imported_at=imported_at,
                    )
                )
    PeerResult.objects.bulk_create(peers)


def pages() -> list[BenchPage]:
    from django.db.models import Count
    from django.urls import reverse

    from hwallyu.province.models import EvaluationYear, Indicator

    latest = EvaluationYear.objects.order_by("-year").first()
    if latest is None:
        return []
    year = latest.year
    quantitative = (
        Indicator.objects.filter(evaluation_year=latest, kind="quantitative")
        .annotate(n=Count("actuals"))
        .order_by("-n", "order")
        .first()
    )
    qualitative = (
        Indicator.objects.filter(evaluation_year=latest, kind="qualitative")
        .annotate(n=Count("writeups"))
        .order_by("-n", "order")
        .first()
    )
    lagging_codes = list(
        Indicator.objects.filter(evaluation_year=latest, kind="quantitative", actuals__lag_reason__gt="")
        .order_by("order")
        .values_list("code", flat=True)
        .distinct()[:3]
    )
    what_if = reverse("province:what_if", args=[year])
    out = [
        BenchPage("연도 목록", reverse("province:years")),
        BenchPage("연도 현황", reverse("province:year", args=[year])),
        BenchPage("연도 현황(부서장)", reverse("province:year", args=[year]), role="manager"),
        BenchPage("지표 현황", reverse("province:indicators", args=[year])),
        BenchPage("지표 현황(담당)", reverse("province:indicators", args=[year]), role="staff"),
        BenchPage("실적 입력(기획)", reverse("province:entry", args=[year]) + "?dept=D002"),
        BenchPage("실적 입력(부서장)", reverse("province:entry", args=[year]), role="manager"),
        BenchPage("실적 검토", reverse("province:review", args=[year])),
        BenchPage("부진지표", reverse("province:lagging", args=[year])),
        BenchPage("부진지표(부서장)", reverse("province:lagging", args=[year]), role="manager"),
        BenchPage("보고회 자료", reverse("province:pack", args=[year])),
        BenchPage("가정 분석", what_if),
        BenchPage("가정 분석(결과)", what_if + "?" + "&".join(f"codes={c}" for c in lagging_codes)),
        BenchPage("시군 비교", reverse("province:peers")),
    ]
    if quantitative is not None:
        out.insert(5, BenchPage("정량 지표 상세", reverse("province:indicator", args=[year, quantitative.code])))
    if qualitative is not None:
        out.insert(6, BenchPage("정성 지표 상세", reverse("province:indicator", args=[year, qualitative.code])))
    return out

"""Benchmark data for the integrity module: ten years of encrypted cases, the index, the measures.

The cases are sealed with the real cryptography, so the bench handler can open every one:

* ``bench-auditor`` (감사팀) holds a designated handler key whose private key is encrypted with
  ``BENCH_HANDLER_PASSPHRASE`` at the production Argon2id cost; every case key is sealed to it
  (``CaseSeal``) and to the office recovery key (its private key is ``ctx.shared["integrity"]``);
* every case has a receipt, ``bench_receipt(number)``, and ``receipt_sealed_key`` derived from it
  with Argon2id through ``crypto.derive_key``.  The newest ``RECEIPT_SAMPLE`` cases use the
  production cost (``crypto.kdf_params()``, about 0.16-0.3 s each); the others the cheapest
  Argon2id cost, ``BENCH_RECEIPT_KDF``.  The design stores the cost with each case and
  ``receipt_open`` derives with the stored cost, so these rows are exactly what filing writes
  under ``HWALLYU_INTEGRITY_KDF = {"time_cost": 1, "memory_kib": 64}``: 5,000 cases at the
  production cost would take 15-25 minutes of Argon2id and measure nothing the sample does not.

Closed cases are kept ten years (the schemes' ``retention_days``), so the retention sweep does
not erase the history; steps whose due time passed were notified (``overdue_notified_at``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection

from hwallyu.core.benchdata import BENCH_ACCOUNTS, BenchContext, BenchPage

if TYPE_CHECKING:
    from hwallyu.integrity.models import Step

BENCH_HANDLER_PASSPHRASE = "bench-integrity-handler-2026"
RECEIPT_SAMPLE = 8  # the newest cases, sealed to their receipt at the production Argon2id cost
KST = dt.timezone(dt.timedelta(hours=9))

CATEGORIES = [("conduct", 22), ("corruption", 10), ("power_abuse", 30), ("solicitation", 14), ("conflict", 12)]
CATEGORIES.append(("other", 12))
TOPICS = {
    "conduct": [
        ("업무추진비 사적 사용 의심", "업무추진비 카드가 주말 사적인 식사에 쓰였다는 이야기가 부서 안에 돕니다."),
        ("근무시간 중 사적 용무", "특정 직원이 근무시간에 자주 자리를 비우고 개인 일을 봅니다."),
        ("관용차량 사적 이용", "관용차량이 퇴근 뒤 개인 용도로 쓰이는 것을 여러 번 보았습니다."),
    ],
    "corruption": [
        ("업체로부터 금품 수수 의혹", "점검 대상 업체 대표가 담당자에게 상품권을 건넸다는 말을 들었습니다."),
        ("보조금 부정 수급 묵인", "보조사업자의 허위 정산 서류를 알고도 처리했다는 의혹이 있습니다."),
    ],
    "power_abuse": [
        ("회식 참석 강요와 폭언", "회식에 빠지면 인사에 불이익을 주겠다는 말을 여러 번 들었습니다."),
        ("사적 심부름 지시", "상급자가 개인 택배 수령과 자녀 등하교를 반복해서 시킵니다."),
        ("업무 배제와 따돌림", "특정 직원에게만 업무를 주지 않고 회의에서 빼는 일이 계속됩니다."),
    ],
    "solicitation": [
        ("지인의 인허가 문의", "친척이 인허가 진행 상황을 알려 달라고 하는데 알려 줘도 되는지 궁금합니다."),
        ("채용 관련 청탁 전화", "기간제 채용 면접 전에 특정 지원자를 잘 봐 달라는 전화를 받았습니다."),
    ],
    "conflict": [
        ("가족 회사와의 계약", "배우자가 운영하는 업체가 입찰에 참여하려고 합니다. 어떻게 해야 하나요?"),
        ("직무 관련 부동산 매입", "담당 부서 개발 예정지 인근 토지를 직원 가족이 샀다는 이야기가 있습니다."),
    ],
    "other": [
        ("청렴 교육 문의", "외부 강의 신고 기준과 사례금 상한이 궁금합니다."),
        ("선물 수수 기준 문의", "명절에 민원인이 두고 간 농산물을 어떻게 처리해야 하나요?"),
    ],
}
ANSWERS = [
    "접수한 내용을 검토하고 있습니다. 신고자의 신원이 드러나지 않도록 조사하겠습니다.",
    "사실관계 확인을 위해 관련 자료를 요청했습니다. 추가로 알고 계신 내용이 있으면 남겨 주세요.",
    "문의하신 내용은 청탁금지법 적용 대상입니다. 자세한 기준을 안내해 드립니다.",
]
NOTES = ["관련 부서 면담 일정 조율 중", "카드 사용 내역 확인 요청", "법무담당관 자문 의뢰", "감사팀장 보고 완료"]
REPLIES = ["추가로 같은 일을 겪은 동료가 두 명 더 있습니다.", "지난주에도 같은 일이 있었습니다.", "빨리 처리해 주세요."]
RESULTS = {
    "none": "조사 결과 위반 사실이 확인되지 않아 종결합니다. 신고해 주셔서 감사합니다.",
    "guidance": "관련자에게 주의 처분을 하고 재발 방지 교육을 실시했습니다.",
    "discipline": "위반 사실이 확인되어 관련자에 대한 징계를 요구했습니다.",
    "recovery": "부당하게 받은 금액을 환수했습니다.",
    "referral": "수사기관에 수사를 의뢰했습니다.",
    "improvement": "같은 일이 되풀이되지 않도록 관련 제도를 개선했습니다.",
    "other": "관련 부서에 개선을 요구하고 결과를 확인했습니다.",
}
ACTION_WEIGHTS = [
    ("none", 30),
    ("guidance", 30),
    ("discipline", 12),
    ("recovery", 5),
    ("referral", 3),
    ("improvement", 15),
    ("other", 5),
]
SPEAKERS = [
    ("시장", "백성현"),
    ("부시장", "김정호"),
    ("기획감사실장", "이영선"),
    ("자치행정국장", "정민수"),
    ("안전건설국장", "최현우"),
    ("문화관광국장", "한미경"),
    ("보건복지국장", "오세진"),
    ("경제산업국장", "유다인"),
]
BROADCAST_TOPICS = ["청렴은 시민 신뢰의 시작입니다", "작은 청탁도 거절하는 용기", "갑질 없는 일터 만들기"]
AUDITOR_NAMES = ["이정미", "박상훈", "최은영", "강동진", "윤서연", "정해린", "송민호", "한지수", "권태영", "조아라"]
AUDITOR_FIELDS = [
    ("건축·토목", "건축사"),
    ("회계", "세무사"),
    ("복지", "사회복지사"),
    ("환경", "시민단체"),
    ("법무", "변호사"),
]
MEASURES = [
    ("broadcast", "청렴 방송 운영: 시장님을 비롯한 간부공무원 주 1회 릴레이 방송", (1, 8), (12, 27)),
    ("citizen_auditors", "시민감사관 운영으로 열린감사 및 청렴 소통 강화", (2, 1), (12, 31)),
    ("new_staff_guide", "신규공직자를 위한 청렴길라잡이 제작·배부", (3, 4), (7, 31)),
    ("survey", "행정만족도 조사 실시(분기별, 알림톡 설문 링크)", (1, 2), (12, 31)),
    ("channel", "직원 대상 청렴톡(익명상담, 신고) 운영 → 위반자 조사 및 조치", (1, 2), (12, 31)),
    ("other", "부패취약분야 자체 점검", (4, 1), (10, 31)),
]


StepSpan = tuple["Step", dt.datetime, dt.datetime | None, dt.datetime | None]  # (step, started, due, done)


@dataclass
class CasePlan:
    """Everything about a bench case but its ids."""

    number: str
    year: int
    kind: str
    category: str
    title: str
    body: str
    received: dt.datetime
    steps: list[StepSpan]
    step: Step
    closed_at: dt.datetime | None
    due: dt.datetime | None
    assignee: int | None
    action: str
    path: list[Step]


def bench_receipt(number: str) -> str:
    """The 16-digit receipt of bench case ``number`` (bench data only; real receipts are random)."""
    digest = hashlib.sha256(f"hwallyu-bench-receipt:{number}".encode()).hexdigest()
    return "".join(str(int(ch, 16) % 10) for ch in digest[:16])


def _insert(model: Any, columns: list[str], rows: list[tuple[Any, ...]], batch: int = 2000) -> None:
    """Plain multi-row INSERT (keeps the historical ``created_at`` that ``auto_now_add`` would replace)."""
    qn = connection.ops.quote_name
    fields = [model._meta.get_field(c) for c in columns]
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with connection.cursor() as cursor:
        for i in range(0, len(rows), batch):
            cursor.executemany(sql, rows[i : i + batch])


def generate(ctx: BenchContext) -> None:
    from django.contrib.auth import get_user_model
    from nacl.public import PrivateKey

    from hwallyu.core.calendar import get_calendar
    from hwallyu.integrity import crypto
    from hwallyu.integrity.models import (
        AuditorActivity,
        Broadcast,
        Case,
        CaseCounter,
        CaseMessage,
        CaseSeal,
        CaseStep,
        CitizenAuditor,
        GuideDistribution,
        HandlerKey,
        IntegrityIndex,
        IntegrityScheme,
        Measure,
        MeasurePlan,
        OfficeKey,
        Step,
    )
    from hwallyu.integrity.services.keys import _encrypt_private

    rng = ctx.rng("integrity")
    today = ctx.today
    now = dt.datetime.combine(today, dt.time(18, 0), tzinfo=KST)
    cal = get_calendar()
    users = dict(
        get_user_model()
        .objects.filter(username__in=[BENCH_ACCOUNTS["audit"], BENCH_ACCOUNTS["planning"]])
        .values_list("username", "id")
    )
    auditor_id = users[BENCH_ACCOUNTS["audit"]]
    planner_id = users.get(BENCH_ACCOUNTS["planning"], auditor_id)
    first = dt.datetime(ctx.years[0], 1, 2, 9, 0, tzinfo=KST)

    # --- keys: the office recovery key and the bench handler's key -----------------------------
    office_private = PrivateKey(rng.randbytes(32))
    office_public = bytes(office_private.public_key)
    office = OfficeKey.objects.create(public_key=office_public, fingerprint=crypto.fingerprint(office_public))
    OfficeKey.objects.filter(pk=office.pk).update(created_at=first)
    handler_private = PrivateKey(rng.randbytes(32))
    handler_public = bytes(handler_private.public_key)
    handler = HandlerKey.objects.create(
        user_id=auditor_id,
        public_key=handler_public,
        fingerprint=crypto.fingerprint(handler_public),
        designated=True,
        designated_at=first,
        **_encrypt_private(bytes(handler_private), BENCH_HANDLER_PASSPHRASE),
    )
    HandlerKey.objects.filter(pk=handler.pk).update(created_at=first, updated_at=first)

    # --- the yearly scheme (deadlines, weights, grade cut-offs, ten-year retention) --------------
    schemes = {}
    for year in ctx.years:
        schemes[year] = IntegrityScheme(
            year=year,
            received_days=3,
            review_days=10 if year < 2022 else 7,
            investigation_days=30,
            action_days=30 if year < 2024 else 20,
            cutoff_1=Decimal("85.00"),
            cutoff_2=Decimal("80.00"),
            cutoff_3=Decimal("75.00"),
            cutoff_4=Decimal("70.00"),
            retention_days=3650,
        )
    IntegrityScheme.objects.bulk_create(schemes.values())

    # --- cases -------------------------------------------------------------------------------------
    weights = [1 + 0.1 * i for i in range(len(ctx.years))]
    weights[-1] *= (today - dt.date(today.year, 1, 1)).days / 365
    whole = sum(weights)
    per_year = [int(ctx.scale.integrity_cases * w / whole) for w in weights]
    per_year[-1] += ctx.scale.integrity_cases - sum(per_year)
    category_names = [c for c, _ in CATEGORIES]
    category_weights = [w for _, w in CATEGORIES]
    action_names = [a for a, _ in ACTION_WEIGHTS]
    action_weights = [w for _, w in ACTION_WEIGHTS]
    cheap = crypto.KdfParams(time_cost=1, memory_kib=64)
    production = crypto.kdf_params()
    deadline_memo: dict[tuple[dt.datetime, int], dt.datetime] = {}

    def due(start: dt.datetime, days: int | None) -> dt.datetime | None:
        if not days:
            return None
        key = (start, days)
        if key not in deadline_memo:
            deadline_memo[key] = cal.deadline(start, days)
        return deadline_memo[key]

    def working_moment(day: dt.date) -> dt.datetime:
        while not cal.is_working_day(day):
            day += dt.timedelta(days=1)
        return dt.datetime.combine(day, dt.time(rng.randrange(9, 18), rng.randrange(0, 60, 5)), tzinfo=KST)

    plans: list[CasePlan] = []
    for year, count in zip(ctx.years, per_year, strict=True):
        year_end = min(dt.date(year, 12, 31), today - dt.timedelta(days=1))
        span = (year_end - dt.date(year, 1, 1)).days + 1
        moments = sorted(
            dt.datetime.combine(
                dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(span)),
                dt.time(rng.randrange(0, 24), rng.randrange(60)),
                tzinfo=KST,
            )
            for _ in range(count)
        )
        for seq, received in enumerate(moments, start=1):
            scheme = schemes[year]
            kind = "counsel" if rng.random() < 0.45 else "report"
            category = rng.choices(category_names, category_weights)[0]
            title, body = rng.choice(TOPICS[category])
            path = [Step.RECEIVED, Step.REVIEW, Step.CLOSED]
            if kind == "report":
                path = [Step.RECEIVED, Step.REVIEW, Step.INVESTIGATION, Step.ACTION, Step.CLOSED]
                if rng.random() < 0.35:  # no case to answer after review
                    path = [Step.RECEIVED, Step.REVIEW, Step.CLOSED]
            steps: list[StepSpan] = []
            moment = received
            for step in path:
                start_at = moment
                step_due = None if step == Step.CLOSED else due(start_at, scheme.step_days(step))
                if step == Step.CLOSED:
                    steps.append((step, start_at, None, start_at))
                    break
                # How long the step takes: usually inside the deadline, sometimes late.
                allowed = (step_due - start_at) if step_due else dt.timedelta(days=3)
                late = rng.random() < 0.12
                took = allowed * (rng.uniform(1.05, 1.6) if late else rng.uniform(0.15, 0.95))
                finish = working_moment((start_at + took).date())
                if finish <= start_at:
                    finish = start_at + dt.timedelta(hours=2)
                if finish > now:
                    steps.append((step, start_at, step_due, None))
                    break
                steps.append((step, start_at, step_due, finish))
                moment = finish
            current = steps[-1][0]
            closed = current == Step.CLOSED
            action = ""
            if closed and kind == "report" and Step.INVESTIGATION in path:
                action = rng.choices(action_names, action_weights)[0]
            elif closed and kind == "report":
                action = "none"
            plans.append(
                CasePlan(
                    number=f"{year}-{seq:04d}",
                    year=year,
                    kind=kind,
                    category=category,
                    title=title,
                    body=body,
                    received=received,
                    steps=steps,
                    step=current,
                    closed_at=steps[-1][1] if closed else None,
                    due=None if closed else steps[-1][2],
                    assignee=None if current == Step.RECEIVED and rng.random() < 0.7 else auditor_id,
                    action=action,
                    path=path,
                )
            )
    counters = Counter(p.year for p in plans)
    CaseCounter.objects.bulk_create([CaseCounter(year=y, last=n) for y, n in sorted(counters.items())])

    sample = {p.number for p in sorted(plans, key=lambda p: p.received)[-RECEIPT_SAMPLE:]}
    case_columns = [
        "number",
        "year",
        "kind",
        "category",
        "step",
        "received_at",
        "due_at",
        "closed_at",
        "assignee",
        "action_kind",
        "reporter_activity_at",
        "public_key",
        "content",
        "disclosed_name",
        "action_detail",
        "receipt_lookup",
        "receipt_salt",
        "receipt_kdf_time_cost",
        "receipt_kdf_memory_kib",
        "receipt_sealed_key",
        "recovery_sealed_key",
        "created_at",
        "updated_at",
    ]
    ts = connection.ops.adapt_datetimefield_value
    case_rows = []
    private_keys: dict[str, bytes] = {}
    messages: dict[str, list[tuple[str, int | None, str, dt.datetime]]] = {}
    with ctx.progress("청렴 사건 봉인", len(plans)) as bar:
        for p in plans:
            private = PrivateKey(rng.randbytes(32))
            public = bytes(private.public_key)
            private_bytes = bytes(private)
            private_keys[p.number] = private_bytes
            params = production if p.number in sample else cheap
            salt = rng.randbytes(crypto.SALT_BYTES)
            receipt = bench_receipt(p.number)
            receipt_key = crypto.derive_key(receipt, salt, params)
            thread: list[tuple[str, int | None, str, dt.datetime]] = []
            last_reporter = None
            for step, started, _due, done in p.steps:
                if step == Step.REVIEW and rng.random() < 0.55:
                    thread.append(("answer", auditor_id, rng.choice(ANSWERS), started + dt.timedelta(hours=3)))
                if step in (Step.REVIEW, Step.INVESTIGATION) and rng.random() < 0.5:
                    thread.append(("note", auditor_id, rng.choice(NOTES), started + dt.timedelta(hours=5)))
                if step != Step.CLOSED and rng.random() < 0.25:
                    at = started + dt.timedelta(hours=rng.randrange(6, 72))
                    if at < now and (done is None or at < done):
                        thread.append(("reporter", None, rng.choice(REPLIES), at))
                        last_reporter = at if last_reporter is None or at > last_reporter else last_reporter
                if step == Step.CLOSED:
                    text = RESULTS[p.action] if p.action else "문의하신 내용에 답변드리고 상담을 마칩니다."
                    thread.append(("result", auditor_id, text, started))
            thread = sorted((m for m in thread if m[3] < now), key=lambda m: m[3])
            messages[p.number] = thread
            modified = max([p.received, *(m[3] for m in thread), *(s[1] for s in p.steps)])
            case_rows.append(
                (
                    p.number,
                    p.year,
                    p.kind,
                    p.category,
                    p.step,
                    ts(p.received),
                    ts(p.due),
                    ts(p.closed_at),
                    p.assignee,
                    p.action,
                    ts(last_reporter),
                    public,
                    crypto.seal_json(public, {"title": p.title, "body": p.body}),
                    crypto.seal_json(public, {"name": "홍길동 010-****-1234"}) if rng.random() < 0.04 else None,
                    crypto.seal_json(public, {"text": RESULTS[p.action]}) if p.action else None,
                    crypto.receipt_lookup(receipt),
                    salt,
                    params.time_cost,
                    params.memory_kib,
                    crypto.secret_encrypt(receipt_key, private_bytes),
                    crypto.seal(office_public, private_bytes),
                    ts(p.received),
                    ts(modified),
                )
            )
            bar.update(1)
    _insert(Case, case_columns, case_rows)
    ids = dict(Case.objects.values_list("number", "id"))

    step_rows, seal_rows, message_rows = [], [], []
    for p in plans:
        case_id = ids[p.number]
        private_bytes = private_keys[p.number]
        public = bytes(PrivateKey(private_bytes).public_key)
        for step, started, step_due, done in p.steps:
            late_by = done or now
            notified = step_due + dt.timedelta(minutes=10) if step_due and step_due < late_by else None
            step_rows.append(CaseStep(case_id=case_id, step=step, started_at=started, due_at=step_due, done_at=done))
            if notified:
                step_rows[-1].overdue_notified_at = notified
        seal_rows.append((case_id, handler.pk, crypto.seal(handler_public, private_bytes), ts(p.received)))
        for kind, author, text, at in messages[p.number]:
            message_rows.append((case_id, kind, author, crypto.seal_json(public, {"body": text}), ts(at)))
    CaseStep.objects.bulk_create(step_rows, batch_size=ctx.batch_size)
    _insert(CaseSeal, ["case", "handler_key", "sealed_key", "created_at"], seal_rows)
    _insert(CaseMessage, ["case", "kind", "author", "body", "created_at"], message_rows)

    # --- the integrity index: grades before 2022, components from the new assessment -------------
    grade = 4
    index_rows = []
    for year in ctx.years[:-1]:  # this year's result is published next year
        grade = min(5, max(1, grade + rng.choice((-1, 0, 0, 1))))
        if year < 2022:
            index_rows.append(IntegrityIndex(year=year, grade=grade, note="청렴도 측정(종합청렴도 도입 전 체계)"))
            continue
        external = Decimal(rng.randrange(7600, 9000)) / 100
        internal = Decimal(rng.randrange(7800, 9200)) / 100
        effort = Decimal(rng.randrange(6500, 9200)) / 100
        deduction = Decimal(rng.randrange(0, 150)) / 100
        index_rows.append(
            IntegrityIndex(
                year=year,
                perceived_external=external,
                perceived_internal=internal,
                effort=effort,
                deduction=deduction,
                grade=grade,
                perceived_grade=min(5, max(1, grade + rng.choice((-1, 0, 1)))),
                effort_grade=min(5, max(1, grade + rng.choice((-1, 0, 1)))),
                note="종합청렴도 첫 평가" if year == 2022 else "",
            )
        )
    IntegrityIndex.objects.bulk_create(index_rows)

    # --- measures: a plan a year, weekly broadcasts, guide distributions, citizen auditors ------------
    MeasurePlan.objects.bulk_create(
        [MeasurePlan(year=y, survey_url="/s/", note=f"{y}년 청렴 시책 추진 계획") for y in ctx.years]
    )
    plan_ids = dict(MeasurePlan.objects.values_list("year", "id"))
    measures, broadcasts, guides = [], [], []
    for year in ctx.years:
        plan_id = plan_ids[year]
        for kind, title, (m1, d1), (m2, d2) in MEASURES:
            starts, ends = dt.date(year, m1, d1), dt.date(year, m2, d2)
            status = "done" if ends < today else ("ongoing" if starts <= today else "planned")
            measures.append(
                Measure(
                    plan_id=plan_id,
                    kind=kind,
                    title=title,
                    owner_id=auditor_id if kind != "survey" else planner_id,
                    starts_on=starts,
                    ends_on=ends,
                    status=status,
                    record="계획대로 추진 완료" if status == "done" else "",
                )
            )
        day = dt.date(year, 1, 8)
        while day.weekday() != 0:
            day += dt.timedelta(days=1)
        for week in range(40):
            on = day + dt.timedelta(weeks=week)
            if on.year != year:
                break
            title, name = SPEAKERS[week % len(SPEAKERS)]
            broadcasts.append(
                Broadcast(
                    plan_id=plan_id,
                    on_date=on,
                    speaker_title=title,
                    speaker_name=name,
                    topic=BROADCAST_TOPICS[week % len(BROADCAST_TOPICS)],
                    done=on < today,
                    record="사내 방송 송출" if on < today else "",
                )
            )
        for month, recipients in ((3, "상반기 신규 임용자"), (7, "하반기 신규 임용자")):
            on = dt.date(year, month, 11)
            if on <= today:
                guides.append(
                    GuideDistribution(
                        plan_id=plan_id,
                        on_date=on,
                        edition=f"{year}년판",
                        recipients=recipients,
                        copies=rng.randrange(25, 60),
                    )
                )
    Measure.objects.bulk_create(measures)
    Broadcast.objects.bulk_create(broadcasts)
    GuideDistribution.objects.bulk_create(guides)

    auditors = []
    for cohort, year in enumerate(ctx.years[::2]):
        for k in range(5):
            field, affiliation = AUDITOR_FIELDS[k]
            start = dt.date(year, 2, 1)
            end = dt.date(year + 2, 1, 31)
            auditors.append(
                CitizenAuditor(
                    name=AUDITOR_NAMES[(cohort * 5 + k) % len(AUDITOR_NAMES)],
                    field=field,
                    affiliation=affiliation,
                    term_start=start,
                    term_end=end,
                    active=end >= today,
                )
            )
    CitizenAuditor.objects.bulk_create(auditors)
    activities = []
    for auditor in CitizenAuditor.objects.all():
        activities.append(
            AuditorActivity(
                auditor=auditor, on_date=auditor.term_start + dt.timedelta(days=14), kind="위촉식·직무 교육"
            )
        )
        for k in range(1, 8):
            on = auditor.term_start + dt.timedelta(days=90 * k)
            if on > min(auditor.term_end, today):
                break
            activities.append(
                AuditorActivity(auditor=auditor, on_date=on, kind=rng.choice(["현장 점검", "감사 참관", "청렴 제안"]))
            )
    AuditorActivity.objects.bulk_create(activities)

    ctx.shared["integrity"] = {
        "handler": BENCH_ACCOUNTS["audit"],
        "passphrase": BENCH_HANDLER_PASSPHRASE,
        "recovery_private_key": bytes(office_private).hex(),
        "receipt_sample": {n: bench_receipt(n) for n in sorted(sample)},
        "cases": len(plans),
    }


def pages() -> list[BenchPage]:
    from django.db.models import Count
    from django.urls import reverse

    from hwallyu.integrity.models import Case, MeasurePlan

    out = [
        BenchPage("청렴 사건 목록", reverse("integrity:case_list"), role="audit"),
        BenchPage("청렴 사건 목록(종결, 2쪽)", reverse("integrity:case_list") + "?step=closed&page=2", role="audit"),
    ]
    big = (
        Case.objects.annotate(n=Count("messages"))
        .order_by("-n", "-received_at")
        .values_list("number", flat=True)
        .first()
    )
    if big:
        out.append(BenchPage("청렴 사건 상세(잠김)", reverse("integrity:case_detail", args=[big]), role="audit"))
    year = MeasurePlan.objects.order_by("-year").values_list("year", flat=True).first()
    out += [
        BenchPage("담당자 키", reverse("integrity:key"), role="audit"),
        BenchPage("지정 담당자", reverse("integrity:handlers"), role="audit"),
        BenchPage("종합청렴도", reverse("integrity:index")),
        BenchPage("청렴 기준 설정", reverse("integrity:scheme")),
    ]
    if year:
        out += [
            BenchPage("청렴 시책(연도)", reverse("integrity:measures_year", args=[year])),
            BenchPage("청렴 시책 달력", reverse("integrity:measures_calendar", args=[year]) + "?month=11"),
        ]
    return out

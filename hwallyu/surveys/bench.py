"""Benchmark data for the satisfaction survey: one round per quarter over the scale's years.

Each round has its registers (one completed ``RegisterImport`` per month and source, whose rows
are written straight to ``RegisterEntry``: the import pipeline itself is timed by
``bench/bench_surveys.py``), the invitations sent on the first working day after each month,
anonymous answers with their items, opt-outs and incentive entries, exactly as the services
leave them:

* past rounds are closed: phone numbers and applicant names erased (keyed hashes kept), the
  invitation texts erased, the frozen counts stored (``Survey.closing_totals``), incentives
  drawn, paid and the remaining contacts purged (the latest closed round is still paying out);
* the round of the current quarter is open: October's invitations sent (and expired), the rows
  of November imported but not invited yet — ``services.invitations_send`` prepares them;
* answers carry department, petition type, source, channel and month only, get random UUIDs and
  are written in shuffled order, so nothing joins them to invitations; ``ResultCell`` and
  ``KeywordCount`` hold their running totals (``tallies``), as ``answers_flush`` keeps them;
* phone hashes come from ``phones.hasher()`` (HMAC with the key derived from SECRET_KEY).

Large: about 1,000,000 register rows, 960,000 invitations, 300,000 answers with 1.9 million
items, in 40 rounds.  Big tables go in through ``bulk.insert_rows`` (the app's multi-row INSERT).
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from collections import Counter, defaultdict
from typing import Any

from django.db import connection

from hwallyu.core.benchdata import BENCH_ACCOUNTS, BenchContext, BenchPage

PETITION_TYPES = [
    # (petition type, legal days, weight)
    ("주민등록표 등·초본 발급", 0, 30),
    ("가족관계등록부 증명서 발급", 0, 14),
    ("인감증명 발급", 0, 12),
    ("건축허가", 15, 4),
    ("건축물 사용승인", 7, 3),
    ("농지취득자격증명", 4, 5),
    ("옥외광고물 표시 허가", 5, 3),
    ("영업신고(일반음식점)", 3, 6),
    ("개발행위허가", 15, 3),
    ("도로점용허가", 10, 3),
    ("정보공개청구", 10, 5),
    ("지방세 감면 신청", 7, 5),
    ("장애인 등록", 30, 2),
    ("기초생활수급자 신청", 30, 3),
    ("폐기물 처리 신고", 10, 3),
    ("자동차 등록", 1, 8),
    ("여권 발급", 4, 7),
    ("토지이용계획확인서 발급", 1, 5),
    ("국민기초생활 급여 변경", 14, 2),
    ("상수도 급수 신청", 5, 2),
]
CONTRACT_TYPES = [("물품구매 계약", 7, 3), ("용역 계약", 7, 2), ("공사 계약", 10, 2)]
SUBSIDY_TYPES = [("보조사업 교부 결정", 14, 2), ("보조사업 정산", 14, 1)]
# Register sources 86/8/6 %; delivery channels of answered links: AlimTalk 88 %, SMS 7 %, LMS 3 %, unknown 2 %.
QUESTION_BIAS = {"kindness": 0.25, "speed": -0.2, "accuracy": 0.05, "fairness": 0.1, "overall": 0.0}
# Free-text answers and their nouns as ``keywords.nouns`` finds them (checked by a test), so the
# generator need not load the analyser: ``KeywordCount`` adds the nouns up per answer.
COMMENTS: list[tuple[str, tuple[str, ...]]] = [
    ("담당 공무원이 매우 친절하게 설명해 주셔서 좋았습니다.", ("공무원", "담당", "설명", "친절")),
    ("처리 속도가 빨라서 만족합니다.", ("만족", "속도", "처리")),
    ("주차장이 부족해서 방문하기 불편했습니다.", ("방문", "부족", "불편", "주차장")),
    (
        "서류 안내가 부족해서 두 번 방문했습니다. 안내문을 보완해 주세요.",
        ("방문", "보완", "부족", "서류", "안내", "안내문"),
    ),
    ("전화 연결이 잘 안 되어 답답했습니다.", ("연결", "전화")),
    ("친절하고 신속하게 처리해 주셔서 감사합니다.", ("신속", "처리", "친절")),
    ("처리 기간이 너무 오래 걸렸습니다.", ("기간", "처리")),
    ("온라인 신청 방법을 알려 주셔서 도움이 되었습니다.", ("도움", "방법", "신청", "온라인")),
    ("민원실 대기 시간이 길었습니다.", ("대기", "민원실", "시간")),
    ("담당자가 자주 바뀌어 설명을 여러 번 해야 했습니다.", ("담당자", "설명")),
    ("무인민원발급기 사용법 안내가 있으면 좋겠습니다.", ("무인", "발급기", "사용법", "안내")),
    ("현장 확인을 빨리 나와 주셔서 공사 일정을 맞출 수 있었습니다.", ("공사", "일정", "현장", "확인")),
    ("구비 서류를 미리 문자로 알려 주면 좋겠습니다.", ("구비", "문자", "서류")),
    ("점심시간에도 민원 창구를 열어 주셔서 편했습니다.", ("점심시간", "창구")),
    ("보조금 정산 서식이 복잡해서 어려웠습니다.", ("보조금", "서식", "정산")),
    ("계약 대금 지급이 늦어서 불편했습니다.", ("계약", "대금", "불편", "지급")),
    ("직원분이 끝까지 책임지고 처리해 주셨습니다.", ("직원", "처리")),
    ("청사 안내 표지판이 알아보기 어렵습니다.", ("안내", "청사", "표지판")),
]
SURNAMES = "김이박최정강조윤장임한오서신권황안송류전"
GIVEN = ["민준", "서연", "도윤", "지우", "하은", "현우", "수빈", "지민", "영희", "철수", "미경", "정호"]
KST = dt.timezone(dt.timedelta(hours=9))
UTC = dt.UTC
SEND_HOUR = 10  # invitations go out at 10:00 on the first working day after the month


class _Db:
    """Values in the form the database takes them, made fast (no per-value field machinery)."""

    def __init__(self) -> None:
        self.sqlite = connection.vendor == "sqlite"
        self.native_uuid = connection.features.has_native_uuid_field
        self._memo: dict[dt.datetime, Any] = {}

    def ts(self, local: dt.datetime) -> Any:
        """A naive Asia/Seoul wall time (no DST since 1988) as the database stores it."""
        utc = local - dt.timedelta(hours=9)
        return str(utc) if self.sqlite else utc.replace(tzinfo=UTC)

    def ts_memo(self, local: dt.datetime) -> Any:
        value = self._memo.get(local)
        if value is None:
            value = self._memo[local] = self.ts(local)
        return value

    def date(self, day: dt.date) -> Any:
        return day.isoformat() if self.sqlite else day

    def uuid(self, value: uuid.UUID) -> Any:
        return value if self.native_uuid else value.hex


def _aware(local: dt.datetime) -> dt.datetime:
    return local.replace(tzinfo=KST)


def _split(total: int, weights: list[float]) -> list[int]:
    """``total`` in proportion to ``weights`` (largest remainder, sums exactly)."""
    whole = sum(weights) or 1.0
    raw = [total * w / whole for w in weights]
    out = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)[: total - sum(out)]:
        out[i] += 1
    return out


def _month_after(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _first_working_day(cal: Any, year: int, month: int) -> dt.date:
    day = dt.date(year, month, 1)
    while not cal.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def _phone(rng: Any) -> str:
    return f"010-{rng.randrange(2000, 10000)}-{rng.randrange(0, 10000):04d}"


def _clamp(value: float) -> int:
    v = int(value + 0.5) if value > 0 else 0
    return 1 if v < 1 else (5 if v > 5 else v)


def generate(ctx: BenchContext) -> None:
    rng = ctx.rng("surveys")
    db = _Db()
    if db.sqlite:  # a page cache that holds the random-key indexes (tokens, phone hashes) while they grow
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
            cursor.execute("PRAGMA cache_size = -262144")
    try:
        _generate(ctx, rng, db)
    finally:
        if db.sqlite:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")


def _generate(ctx: BenchContext, rng: Any, db: _Db) -> None:
    from django.contrib.auth import get_user_model

    from hwallyu.core.calendar import get_calendar
    from hwallyu.org import selectors as org
    from hwallyu.surveys import bulk, phones, services, tallies
    from hwallyu.surveys.models import (
        Answer,
        AnswerItem,
        IncentiveEntry,
        IncentivePayout,
        IncentiveRule,
        IncentiveStatus,
        Invitation,
        OptOut,
        Question,
        RegisterEntry,
        RegisterImport,
        Survey,
        SurveyStatus,
        SurveyTemplate,
        TemplateQuestion,
    )

    scale = ctx.scale
    cal = get_calendar()
    hasher = phones.hasher()
    today = ctx.today
    city = org.city().name
    auditor_id = get_user_model().objects.filter(username=BENCH_ACCOUNTS["audit"]).values_list("id", flat=True).first()
    departments = [d.id for d in org.departments(active_only=True).order_by("order") if not d.is_planning_office]
    dept_weight = [rng.choice((1, 2, 4, 8)) for _ in departments]
    dept_quality = {d: rng.uniform(-0.9, 0.5) for d in departments}
    dept_types = {
        d: rng.sample(range(len(PETITION_TYPES)), k=min(len(PETITION_TYPES), rng.randrange(3, 8))) for d in departments
    }
    for d in departments[: max(1, len(departments) // 6)]:  # the civil-service desks issue certificates
        dept_types[d] = sorted(set(dept_types[d]) | {0, 1, 2})

    # --- templates and rounds -------------------------------------------------------------------
    template = services.default_template()
    extra = SurveyTemplate.objects.create(name="계약·보조사업 문항")
    TemplateQuestion.objects.bulk_create(
        [
            TemplateQuestion(
                template=extra, **{f: getattr(q, f) for f in ("code", "label", "kind", "order", "required", "is_bribe")}
            )
            for q in template.questions.all()
        ]
    )
    template_questions = list(template.questions.all())

    rounds = []  # (year, quarter, period start, period end, sends {month: date})
    for year in ctx.years:
        for quarter in range(1, 5):
            start = dt.date(year, 3 * quarter - 2, 1)
            if start > today:
                continue
            end = dt.date(*_month_after(year, 3 * quarter), 1) - dt.timedelta(days=1)
            sends = {}
            for month in range(3 * quarter - 2, 3 * quarter + 1):
                send = _first_working_day(cal, *_month_after(year, month))
                if send <= today:
                    sends[month] = send
            rounds.append((year, quarter, start, end, sends))
    last_closed = max(
        (i for i, r in enumerate(rounds) if len(r[4]) == 3 and r[4][3 * r[1]] + dt.timedelta(days=16) < today),
        default=-1,
    )
    weights = []
    for i, (_, _, start, end, _) in enumerate(rounds):
        share = min(1.0, ((min(end, today) - start).days + 1) / ((end - start).days + 1))
        weights.append((1 + 0.06 * i) * share)
    register_counts = _split(scale.register_rows, weights)

    inv_ratio = min(0.95, scale.invitations / max(1, scale.register_rows))
    p_phone = max(0.92, inv_ratio + 0.02)
    p_invite = inv_ratio / p_phone
    p_answer = min(0.6, scale.answers / max(1, scale.register_rows * inv_ratio))

    surveys = []
    for i, (year, quarter, *_rest) in enumerate(rounds):
        closed = i <= last_closed
        old = year <= ctx.years[-1] - 5
        surveys.append(
            Survey(
                year=year,
                quarter=quarter,
                title=f"{year}년 {quarter}분기 행정만족도 조사",
                status=SurveyStatus.CLOSED if closed else SurveyStatus.OPEN,
                template=template,
                incentive_budget=2_000_000 if old else 7_000_000,
                incentive_winners=50 if old else 100,
                incentive_rule=IncentiveRule.FIRST_N if year % 3 == 0 else IncentiveRule.DRAW,
                created_by_id=auditor_id,
            )
        )
    Survey.objects.bulk_create(surveys)
    surveys = list(Survey.objects.order_by("year", "quarter"))
    Question.objects.bulk_create(
        [
            Question(survey=s, **{f: getattr(q, f) for f in ("code", "label", "kind", "order", "required", "is_bribe")})
            for s in surveys
            for q in template_questions
        ]
    )
    questions: dict[int, dict[str, int]] = defaultdict(dict)
    for sid, code, qid in Question.objects.values_list("survey_id", "code", "id"):
        questions[sid][code] = qid

    receipt_seq: Counter[tuple[int, str]] = Counter()
    optouts: dict[str, tuple[dt.datetime, str]] = {}
    incentive_codes: set[str] = set()
    entry_columns = (
        "survey",
        "source",
        "receipt_no",
        "received_at",
        "processed_at",
        "petition_type",
        "department",
        "applicant",
        "phone",
        "phone_hash",
        "legal_days",
        "register_import",
    )
    # the columns invitations_prepare writes, plus the sending and reminder times of a round under way
    invitation_columns = (*services.INVITATION_COLUMNS, "queued_at", "expires_at", "reminded_at")
    answer_columns = ("id", "survey", "department", "petition_type", "source", "channel", "month")
    item_columns = ("answer", "question", "value", "text")
    type_tables = {"petition": PETITION_TYPES, "contract": CONTRACT_TYPES, "subsidy": SUBSIDY_TYPES}
    totals: Counter[str] = Counter()

    bar = ctx.progress("행정만족도 명부·안내·응답", total=scale.register_rows)
    rand = rng.random
    dept_table = [d for d, w in zip(departments, dept_weight, strict=True) for _ in range(w)]
    n_dept = len(dept_table)
    for index, (survey, (year, _quarter, start, end, sends), n_entries) in enumerate(
        zip(surveys, rounds, register_counts, strict=True)
    ):
        closed = survey.status == SurveyStatus.CLOSED
        sid = survey.id
        qids = questions[sid]
        cutoff = min(end, today - dt.timedelta(days=2))  # rows processed up to two days ago are imported
        # Times are whole minutes from ``base`` (40 days before the period, so receptions fit), as
        # integers while generating, converted once per distinct minute.
        base = dt.datetime.combine(start, dt.time()) - dt.timedelta(days=40)
        working = []  # day offsets (from base) of the period's weekdays up to the cutoff
        day = start
        while day <= cutoff:
            if day.weekday() < 5:
                working.append((day - base.date()).days)
            day += dt.timedelta(days=1)
        month_of = {d: (base + dt.timedelta(days=d)).month for d in working}
        n_working = len(working)
        stamp: dict[int, Any] = {}

        def ts(minute: int, stamp: dict[int, Any] = stamp, base: dt.datetime = base) -> Any:
            value = stamp.get(minute)
            if value is None:
                value = stamp[minute] = db.ts(base + dt.timedelta(minutes=minute))
            return value

        # --- register rows, grouped by (month, source) into one import each -------------------------
        entries: dict[tuple[int, str], list[list[Any]]] = defaultdict(list)
        for _ in range(n_entries):
            r = rand()
            source = "petition" if r < 0.86 else ("contract" if r < 0.94 else "subsidy")
            dept = dept_table[int(rand() * n_dept)]
            if source == "petition":
                types = dept_types[dept]
                ptype, legal, _w = PETITION_TYPES[types[int(rand() * len(types))]]
            else:
                table = type_tables[source]
                ptype, legal, _w = table[int(rand() * len(table))]
            d = working[int(rand() * n_working)]
            processed = d * 1440 + 540 + int(rand() * 540)
            received = processed - 20 - int(rand() * (max(2, legal) * 1440))
            phone = f"010-{2000 + int(rand() * 8000)}-{int(rand() * 10000):04d}" if rand() < p_phone else ""
            entries[(month_of[d], source)].append(
                [processed, received, ptype, dept, legal if source == "petition" else None, phone, source]
            )
        imports: list[RegisterImport] = []
        import_keys = sorted(entries)
        for month, source in import_keys:
            rows = len(entries[(month, source)])
            y, m = _month_after(year, month)
            upload_day = sends.get(month) or (today - dt.timedelta(days=1))
            at = dt.datetime.combine(upload_day, dt.time(9, 10 + len(imports) % 40))
            label = {"petition": "민원사무처리부", "contract": "계약자 명부", "subsidy": "보조사업자 명부"}[source]
            duplicates = rng.randrange(0, 4) if source == "petition" else 0
            size = rows * 121 + 96
            imports.append(
                RegisterImport(
                    survey=survey,
                    source=source,
                    file=f"survey_imports/{y}/{m:02d}/s{sid}-{rng.getrandbits(64):016x}.csv",
                    filename=f"{year}년 {month}월 {label}.csv",
                    size=size,
                    sha256=f"{rng.getrandbits(256):064x}",
                    encoding="cp949" if source == "petition" else "utf-8",
                    status="done",
                    bytes_read=size,
                    last_row=rows + duplicates + 1,
                    rows_read=rows + duplicates,
                    rows_added=rows,
                    rows_duplicate=duplicates,
                    message=f"{rows + duplicates:,}행 중 {rows:,}행을 추가했습니다."
                    + (f" 이미 있는 접수번호 {duplicates:,}행은 건너뛰었습니다." if duplicates else ""),
                    created_by_id=auditor_id,
                    started_at=_aware(at + dt.timedelta(seconds=5)),
                    heartbeat_at=_aware(at + dt.timedelta(seconds=5 + rows // 20_000)),
                    finished_at=_aware(at + dt.timedelta(seconds=6 + rows // 20_000)),
                )
            )
        if not closed:  # a file refused for its errors, left on the page
            at = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(9, 5))
            imports.append(
                RegisterImport(
                    survey=survey,
                    source="petition",
                    file=f"survey_imports/{today.year}/{today.month:02d}/s{sid}-{rng.getrandbits(64):016x}.csv",
                    filename=f"{today.year}년 {today.month}월 민원사무처리부(수정 전).csv",
                    size=48_213,
                    sha256=f"{rng.getrandbits(256):064x}",
                    encoding="cp949",
                    status="failed",
                    bytes_read=48_213,
                    last_row=402,
                    rows_read=401,
                    error_count=3,
                    errors=[
                        {"row": 17, "column": "처리부서", "message": "등록되지 않은 부서입니다(민원봉사과)."},
                        {"row": 211, "column": "처리일시", "message": "날짜를 읽을 수 없습니다(2026.11.31)."},
                        {"row": 388, "column": "접수번호", "message": "접수번호가 비어 있습니다."},
                    ],
                    message="오류가 있는 행이 3개 있어 아무것도 저장하지 않았습니다. 오류를 고친 뒤 다시 올려 주세요.",
                    created_by_id=auditor_id,
                    started_at=_aware(at),
                    heartbeat_at=_aware(at),
                    finished_at=_aware(at + dt.timedelta(seconds=1)),
                )
            )
        made = RegisterImport.objects.bulk_create(imports)
        import_ids = {key: r.id for key, r in zip(import_keys, made, strict=False)}
        for r in made:  # uploaded a few seconds before the import started
            if r.started_at is None:
                raise AssertionError("every bench import has started")
            RegisterImport.objects.filter(id=r.id).update(created_at=r.started_at - dt.timedelta(seconds=5))

        rows_out = []
        order = []  # the entries in insertion order
        for key in import_keys:
            group = entries[key]
            group.sort(key=lambda e: e[1])  # by reception: receipt numbers follow it
            source = key[1]
            prefix = {"petition": f"{year}", "contract": f"계약-{year}", "subsidy": f"보조-{year}"}[source]
            import_id = import_ids[key]
            seq = receipt_seq[(year, source)]
            for e in group:
                processed, received, ptype, dept, legal, phone, _source = e
                seq += 1
                phone_hash = hasher(phone.replace("-", "").encode("ascii")) if phone else ""
                e.append(phone_hash)
                rows_out.append(
                    (
                        sid,
                        source,
                        f"{prefix}-{seq:06d}",
                        ts(received),
                        ts(processed),
                        ptype,
                        dept,
                        "" if closed else SURNAMES[int(rand() * len(SURNAMES))] + GIVEN[int(rand() * len(GIVEN))],
                        "" if closed else phone,
                        phone_hash,
                        legal,
                        import_id,
                    )
                )
                order.append(e)
            receipt_seq[(year, source)] = seq
        bulk.insert_rows(RegisterEntry, entry_columns, rows_out)
        entry_ids = list(RegisterEntry.objects.filter(survey_id=sid).order_by("id").values_list("id", flat=True))

        # --- invitations ------------------------------------------------------------------------------
        seen: set[str] = set()
        invited = []
        answered_rows = []  # (dept, type, source, queued local)
        reminded = 0
        expiry = dt.timedelta(days=survey.link_expiry_days)
        remind_after = dt.timedelta(days=survey.reminder_after_days)
        for entry_id, e in zip(entry_ids, order, strict=True):
            processed, _received, ptype, dept, _legal, phone, source, phone_hash = e
            send_day = sends.get(month_of[processed // 1440])
            if not phone or send_day is None or phone_hash in seen:
                continue
            queued = dt.datetime.combine(send_day, dt.time(SEND_HOUR))
            if rand() >= p_invite:
                # not invited: asked earlier not to be surveyed, or invited by another round lately
                if rand() < 0.3 and phone_hash not in optouts:
                    optouts[phone_hash] = (queued - dt.timedelta(days=5 + int(rand() * 195)), "citizen")
                continue
            seen.add(phone_hash)
            answered = rand() < p_answer
            remind = (not answered and rand() < 0.9) or (answered and rand() < 0.3)
            reminded += remind
            invited.append((phone_hash, entry_id, dept, ptype, source, phone, answered, queued, remind))
            if answered:
                answered_rows.append((dept, ptype, source, queued))
            elif rand() < 0.004 and phone_hash not in optouts:
                optouts[phone_hash] = (queued + dt.timedelta(hours=1 + int(rand() * 200)), "citizen")
        # Inserted in phone-hash order with the round's tokens in sorted order: both random-key
        # indexes then grow by runs instead of random page writes (ids say nothing either way).
        invited.sort()
        tokens = sorted(base64.urlsafe_b64encode(rng.randbytes(services.TOKEN_BYTES)).decode("ascii") for _ in invited)
        inv_rows = []
        for token, (phone_hash, entry_id, dept, ptype, source, phone, answered, queued, remind) in zip(
            tokens, invited, strict=True
        ):
            message = "" if closed else services._message_text(city, ptype, f"/s/{token}", survey.link_expiry_days)
            inv_rows.append(
                (
                    sid,
                    entry_id,
                    dept,
                    ptype,
                    source,
                    "" if closed else phone,
                    phone_hash,
                    token,
                    message,
                    "queued",
                    answered,
                    db.ts_memo(queued),
                    db.ts_memo(queued),
                    db.ts_memo(queued + expiry),
                    db.ts_memo(queued + remind_after) if remind else None,
                )
            )
        bulk.insert_rows(Invitation, invitation_columns, inv_rows)
        bar.update(n_entries // 2)

        # --- answers: random keys, stored in key order (a random order, unrelated to the invitations),
        # department/type/source/channel/month only ------------------------------------------------------
        year_drift = 0.03 * (year - ctx.years[0])
        scale_codes = [(qids[c], bias) for c, bias in QUESTION_BIAS.items() if c in qids]
        bribe_id, text_id = qids.get("bribe"), qids.get("comment")
        p_bribe = 0.02 if year < ctx.years[-1] - 4 else 0.011
        gauss = rng.gauss
        keyed = []
        for dept, ptype, source, queued in answered_rows:
            when = queued + dt.timedelta(days=min(int(rng.expovariate(0.45)), survey.link_expiry_days - 1))
            r = rand()
            channel = "alimtalk" if r < 0.88 else ("sms" if r < 0.95 else ("lms" if r < 0.98 else ""))
            keyed.append((rng.getrandbits(128), dept, ptype, source, channel, dt.date(when.year, when.month, 1)))
        keyed.sort()
        answer_rows: list[tuple[Any, ...]] = []
        item_rows: list[tuple[Any, int, int | None, str]] = []
        groups: dict[tuple[Any, ...], list[Any]] = {}  # [answers, {question_id: [n, total]}]
        words: Counter[str] = Counter()
        month_value: dict[dt.date, Any] = {}
        for bits, dept, ptype, source, channel, answer_month in keyed:
            group_key = (dept, ptype, source, channel, answer_month)
            answer_group = groups.get(group_key)
            if answer_group is None:
                answer_group = groups[group_key] = [0, {}]
            answer_group[0] += 1
            sums: dict[int, list[int]] = answer_group[1]
            aid = db.uuid(uuid.UUID(int=bits, version=4))
            if answer_month not in month_value:
                month_value[answer_month] = db.date(answer_month)
            answer_rows.append((aid, sid, dept, ptype, source, channel, month_value[answer_month]))
            mood = 3.9 + dept_quality[dept] + year_drift
            for qid, bias in scale_codes:
                value = _clamp(gauss(mood + bias, 0.85))
                item_rows.append((aid, qid, value, ""))
                cell = sums.get(qid)
                if cell is None:
                    cell = sums[qid] = [0, 0]
                cell[0] += 1
                cell[1] += value
            if bribe_id:
                value = 1 if rand() < p_bribe else 0
                item_rows.append((aid, bribe_id, value, ""))
                cell = sums.setdefault(bribe_id, [0, 0])
                cell[0] += 1
                cell[1] += value
            if text_id and rand() < 0.22:
                text, found = COMMENTS[int(rand() * len(COMMENTS))]
                item_rows.append((aid, text_id, None, text))
                sums.setdefault(text_id, [0, 0])[0] += 1
                words.update(found)
        bulk.insert_rows(Answer, answer_columns, answer_rows)
        bulk.insert_rows(AnswerItem, item_columns, item_rows)
        tally = tallies.Tally()
        for (dept, ptype, source, channel, answer_month), (count, sums) in groups.items():
            answer = Answer(department_id=dept, petition_type=ptype, source=source, channel=channel, month=answer_month)
            tally.group(tallies.answer_keys(answer), count, sums)
        tally.words.update(words)
        tallies.apply(sid, tally)

        # --- incentives ---------------------------------------------------------------------------------
        n_incentive = round(len(answered_rows) * 0.12)
        contacts: set[str] = set()
        incentive_rows = []
        for _ in range(n_incentive):
            contact = _phone(rng)
            if contact in contacts:
                continue
            contacts.add(contact)
            code = f"{rng.getrandbits(40):010X}"
            while code in incentive_codes:
                code = f"{rng.getrandbits(40):010X}"
            incentive_codes.add(code)
            incentive_rows.append([code, contact, hasher(contact.replace("-", "").encode("ascii"))])
        winners = min(survey.incentive_winners, len(incentive_rows))
        chosen = (
            set(range(winners))
            if survey.incentive_rule == IncentiveRule.FIRST_N
            else set(rng.sample(range(len(incentive_rows)), winners))
        )
        last_send = dt.datetime.combine(max(sends.values()), dt.time(SEND_HOUR)) if sends else None
        closed_at = None
        if last_send and closed:
            closed_at = last_send + dt.timedelta(days=survey.link_expiry_days + 1, hours=6)
        paying = index == last_closed
        entries_out, payouts = [], []
        paid_count = 0
        for k, (code, contact, contact_hash) in enumerate(incentive_rows):
            if not closed:
                status, keep = IncentiveStatus.ENTERED, True
            elif k in chosen:
                pay = not paying or paid_count < winners * 6 // 10
                status, keep = (IncentiveStatus.PAID, False) if pay else (IncentiveStatus.WON, True)
            else:
                status, keep = (IncentiveStatus.ENTERED, True) if paying else (IncentiveStatus.NOT_SELECTED, False)
            if status == IncentiveStatus.PAID:
                paid_count += 1
                payouts.append(
                    IncentivePayout(
                        survey_id=sid,
                        entry_code=code,
                        amount=survey.incentive_amount,
                        paid_by_id=auditor_id,
                        note="모바일 상품권",
                    )
                )
            entries_out.append(
                IncentiveEntry(
                    survey_id=sid, code=code, contact=contact if keep else "", contact_hash=contact_hash, status=status
                )
            )
        IncentiveEntry.objects.bulk_create(entries_out, batch_size=ctx.batch_size)
        IncentivePayout.objects.bulk_create(payouts, batch_size=ctx.batch_size)
        if payouts and closed_at:
            IncentivePayout.objects.filter(survey_id=sid).update(paid_at=_aware(closed_at + dt.timedelta(days=10)))

        # --- the round's own row: dates, and the counts frozen at closing -----------------------------
        opened = dt.datetime.combine(start, dt.time(9, 0)) - dt.timedelta(days=3)
        fields: dict[str, Any] = {
            "opened_at": _aware(opened),
            "created_at": _aware(opened - dt.timedelta(days=7)),
            "updated_at": _aware(closed_at or opened),
        }
        if closed:
            per_source: dict[str, dict[str, Any]] = {}
            for e in order:
                row = per_source.setdefault(e[6], {"source": e[6], "n": 0, "processed": 0, "mobile": 0})
                row["n"] += 1
                row["processed"] += 1
                row["mobile"] += bool(e[5])
            if closed_at is None:
                raise AssertionError("a closed round has sent all its invitations")
            fields["closed_at"] = _aware(closed_at)
            fields["closing_totals"] = {
                "invitations": {
                    "prepared": 0,
                    "queued": len(inv_rows),
                    "answered": len(answered_rows),
                    "reminded": reminded,
                },
                "register": [per_source[k] for k in sorted(per_source)],
            }
        Survey.objects.filter(id=sid).update(**fields)
        totals.update(entries=n_entries, invitations=len(inv_rows), answers=len(answered_rows), items=len(item_rows))
        bar.update(n_entries - n_entries // 2)
    bar.close()

    # --- opt-outs: asked not to be surveyed (from a link, or registered by the team) ---------------------
    optout_rows = [
        (h, "staff" if rng.random() < 0.1 else via, db.ts(at))
        for h, (at, via) in sorted(optouts.items(), key=lambda kv: kv[1][0])
    ]
    bulk.insert_rows(OptOut, ("phone_hash", "via", "created_at"), optout_rows)
    ctx.shared["surveys"] = {
        "open_survey_id": surveys[-1].id if surveys else None,
        "big_survey_id": _big_survey_id(),
        **totals,
        "optouts": len(optout_rows),
    }


def _big_survey_id() -> int | None:
    """The round with the most answers (read from the running totals)."""
    from hwallyu.surveys import tallies
    from hwallyu.surveys.models import ResultCell

    row = (
        ResultCell.objects.filter(by=tallies.ALL, key="", question__isnull=True)
        .order_by("-n", "-survey_id")
        .values_list("survey_id", flat=True)
        .first()
    )
    return row


def pages() -> list[BenchPage]:
    from django.urls import reverse

    from hwallyu.surveys.models import ImportStatus, IncentiveStatus, RegisterImport, Survey, SurveyStatus

    big = _big_survey_id()
    running = Survey.objects.filter(status=SurveyStatus.OPEN).order_by("-year", "-quarter").values_list("id", flat=True)
    current = running.first() or big
    paying = (
        Survey.objects.filter(incentive_entries__status=IncentiveStatus.WON)
        .order_by("-year", "-quarter")
        .values_list("id", flat=True)
        .first()
        or big
    )
    out = [BenchPage("조사 회차 목록", reverse("surveys:list"))]
    if big is None:
        return out
    record = (
        RegisterImport.objects.filter(survey_id=big, status=ImportStatus.DONE)
        .order_by("-rows_added", "id")
        .values_list("id", flat=True)
        .first()
    )
    out += [
        BenchPage("조사 상세(진행 중)", reverse("surveys:detail", args=[current])),
        BenchPage("조사 상세(가장 큰 회차)", reverse("surveys:detail", args=[big])),
        BenchPage("명부 가져오기 목록", reverse("surveys:imports", args=[current])),
        BenchPage("결과(가장 큰 회차)", reverse("surveys:results", args=[big])),
        BenchPage("결과(진행 중)", reverse("surveys:results", args=[current])),
        BenchPage("결과(간부)", reverse("surveys:results", args=[big]), role="executive"),
        BenchPage("인센티브", reverse("surveys:incentives", args=[paying])),
        BenchPage("문항 템플릿", reverse("surveys:templates")),
        BenchPage("수신 거부 번호", reverse("surveys:optouts")),
    ]
    if record:
        out.insert(4, BenchPage("명부 가져오기 상세", reverse("surveys:import_detail", args=[big, record])))
    return out

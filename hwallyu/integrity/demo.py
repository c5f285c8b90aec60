"""Demo data: three handlers with keys, a few cases in different steps, the grade history, a 2024 plan.

The handlers' passphrases are fixed (and shown on the unlock page in demo mode only); the
demo cases' receipts are derived from SECRET_KEY so they are stable for a demo installation
and are shown on the public follow-up page in demo mode only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from hwallyu.integrity import crypto
from hwallyu.integrity.models import (
    STEP_ORDER,
    AuditorActivity,
    Broadcast,
    Case,
    CaseMessage,
    CitizenAuditor,
    GuideDistribution,
    HandlerKey,
    IntegrityIndex,
    IntegrityScheme,
    Measure,
    MeasureKind,
    MeasurePlan,
    MeasureStatus,
    MessageKind,
    Step,
)
from hwallyu.org import selectors as org
from hwallyu.org.models import Role

DEMO_PASSWORD = "hwallyu-demo"
# Shown on the key page in demo mode only.
DEMO_PASSPHRASES = {
    "auditor": "hwallyu-integrity-auditor",
    "auditor2": "hwallyu-integrity-auditor2",
    "auditor3": "hwallyu-integrity-auditor3",
}
EXTRA_HANDLERS = [("auditor2", "김청렴", "감사주무관"), ("auditor3", "박공정", "감사팀장")]
CASES = [
    # (kind, category, title, body, final step, answer, note)
    (
        "report",
        "power_abuse",
        "회식 자리 참석 강요와 폭언",
        "팀 회식에 빠지면 인사에 불이익을 주겠다는 말을 여러 번 들었습니다.",
        Step.INVESTIGATION,
        "접수한 내용을 검토했고 사실관계 조사를 시작했습니다. "
        "신고자 보호를 위해 조사 과정에서 신원이 드러나지 않도록 하겠습니다.",
        "관련 부서 직원 면담 일정 조율 중",
    ),
    (
        "counsel",
        "solicitation",
        "지인의 인허가 문의를 받았을 때",
        "친척이 인허가 진행 상황을 알려 달라고 하는데 알려 줘도 되는지 궁금합니다.",
        Step.CLOSED,
        "진행 상황 중 공개 대상 정보는 민원인 본인에게만 안내할 수 있습니다. 부정청탁 신고 절차도 함께 안내드립니다.",
        "",
    ),
    (
        "report",
        "conduct",
        "업무추진비 사적 사용 의심",
        "업무추진비 카드가 주말에 사적인 식사에 쓰였다는 이야기가 있습니다.",
        Step.REVIEW,
        "",
        "카드 사용 내역 확인 요청 예정",
    ),
    (
        "counsel",
        "conflict",
        "가족 회사와의 계약",
        "배우자가 운영하는 업체가 입찰에 참여하려고 합니다.",
        Step.RECEIVED,
        "",
        "",
    ),
]
SPEAKERS = [
    ("시장", "백성현", "청렴은 시민 신뢰의 시작입니다"),
    ("부시장", "김정호", "작은 청탁도 거절하는 용기"),
    ("기획감사실장", "이영선", "청렴한 조직문화를 위한 실천"),
    ("자치행정국장", "정민수", "갑질 없는 일터 만들기"),
    ("안전건설국장", "최현우", "공정한 계약과 이해충돌 방지"),
    ("농업기술센터소장", "한미경", "청렴으로 여는 열린 행정"),
]
AUDITORS = [
    ("이정미", "건축·토목", "전 건축사협회 이사"),
    ("박상훈", "회계", "세무사"),
    ("최은영", "복지", "사회복지사"),
    ("강동진", "환경", "시민단체 활동가"),
    ("윤서연", "법무", "변호사"),
]


def demo_receipt(index: int) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:integrity-demo:{index}".encode()).hexdigest()
    return "".join(str(int(ch, 16) % 10) for ch in digest[:16])


def _handler_users() -> list[Any]:
    User = get_user_model()
    auditor = User.objects.filter(username="auditor").first()
    users = [auditor] if auditor is not None else []
    planning = next((d for d in org.departments() if d.is_planning_office), None)
    if planning is None:
        return users
    team = org.teams(planning).filter(name="감사팀").first()
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    for username, name, position in EXTRA_HANDLERS:
        user = User.objects.filter(username=username).first()
        if user is None and admin is not None:
            from hwallyu.org.services import person_create

            user = person_create(
                actor=admin,
                username=username,
                name=name,
                department=planning,
                team=team,
                email=f"{username}@nonsan.demo",
                position=position,
                role=Role.AUDIT,
                password=DEMO_PASSWORD,
            ).user
        if user is not None:
            users.append(user)
    return users


def _load_handlers() -> list[tuple[HandlerKey, bytes]]:
    from hwallyu.integrity.services.keys import handler_designate, handler_key_create, handler_unlock

    users = [u for u in _handler_users() if org.role_of(u) == Role.AUDIT]
    if not users:
        return []
    keys = []
    for user in users:
        key = HandlerKey.objects.filter(user=user).first()
        passphrase = DEMO_PASSPHRASES[user.get_username()]
        if key is None:
            key = handler_key_create(actor=user, passphrase=passphrase)
        keys.append(handler_unlock(actor=user, passphrase=passphrase))
    first_key, first_private = keys[0]
    for key, _ in keys[1:]:
        if not key.designated:
            handler_designate(actor=first_key.user, actor_private_key=first_private, handler_key=key)
    return keys


def _load_cases(keys: list[tuple[HandlerKey, bytes]]) -> None:
    from hwallyu.integrity.services import cases as services

    if Case.objects.exists() or not keys:
        return
    actor = keys[0][0].user
    base = timezone.make_aware(dt.datetime(2024, 3, 4, 10, 0)) if timezone.now().year > 2024 else None
    for index, (kind, category, title, body, final, answer, note) in enumerate(CASES):
        received = (
            (base + dt.timedelta(days=21 * index)) if base else timezone.now() - dt.timedelta(days=3 * (4 - index))
        )
        case, _ = services.case_file(kind=kind, category=category, title=title, body=body, now=received)
        # Replace the random receipt by the stable demo one (same construction as case_file).
        receipt = demo_receipt(index)
        salt = crypto.new_salt()
        params = crypto.kdf_params()
        private = services.case_private_key(case=case, actor=actor, private_key=keys[0][1])
        case.receipt_lookup = crypto.receipt_lookup(receipt)
        case.receipt_salt = salt
        case.receipt_kdf_time_cost, case.receipt_kdf_memory_kib = params.time_cost, params.memory_kib
        case.receipt_sealed_key = crypto.secret_encrypt(crypto.derive_key(receipt, salt, params), private)
        case.save()
        services.case_assign(case=case, actor=actor, assignee=actor)
        moment = received
        for step in [Step.REVIEW, Step.INVESTIGATION, Step.ACTION, Step.CLOSED]:
            if STEP_ORDER.index(step) > STEP_ORDER.index(final):
                break
            moment = moment + dt.timedelta(days=2)
            result = answer if step == Step.CLOSED else ""
            case = services.case_advance(case=case, actor=actor, to_step=step, result=result, now=moment)
        CaseMessage.objects.filter(case=case, kind=MessageKind.RESULT).update(created_at=moment)
        written = []
        if answer and final != Step.CLOSED:
            written.append(services.case_message_add(case=case, actor=actor, kind=MessageKind.ANSWER, body=answer))
        if note:
            written.append(services.case_message_add(case=case, actor=actor, kind=MessageKind.NOTE, body=note))
        if index == 0:
            sealed = crypto.seal_json(
                bytes(case.public_key), {"body": "추가로 같은 일을 겪은 동료가 두 명 더 있습니다."}
            )
            written.append(CaseMessage.objects.create(case=case, kind=MessageKind.REPORTER, body=sealed))
        # Demo messages carry times along the case's own history, not the time of loading.
        for number, message in enumerate(written, start=1):
            CaseMessage.objects.filter(pk=message.pk).update(created_at=moment + dt.timedelta(hours=2 * number))


def _load_index() -> None:
    for year in (2021, 2022, 2023, 2024):
        IntegrityScheme.objects.get_or_create(
            year=year,
            defaults={
                "cutoff_1": Decimal("85.00"),
                "cutoff_2": Decimal("80.00"),
                "cutoff_3": Decimal("75.00"),
                "cutoff_4": Decimal("70.00"),
            },
        )
    history = {
        2021: {"grade": 4, "note": "청렴도 측정(종합청렴도 도입 전 체계)"},
        2022: {"grade": 3, "note": "종합청렴도 첫 평가"},
        2023: {"grade": 4, "note": ""},
    }
    for year, values in history.items():
        IntegrityIndex.objects.get_or_create(year=year, defaults=values)


def _load_plan() -> None:
    plan, created = MeasurePlan.objects.get_or_create(year=2024, defaults={"survey_url": "/s/"})
    if not created:
        return
    User = get_user_model()
    owner = User.objects.filter(username="auditor").first()
    items = [
        (MeasureKind.BROADCAST, "청렴 방송 운영: 시장님을 비롯한 간부공무원 주 1회 릴레이 방송", (1, 8), (12, 27)),
        (MeasureKind.CITIZEN_AUDITORS, "시민감사관 재구성·운영으로 열린감사 및 청렴 소통 강화", (2, 1), (12, 31)),
        (MeasureKind.NEW_STAFF_GUIDE, "신규공직자를 위한 청렴길라잡이 제작·배부", (3, 4), (7, 31)),
        (MeasureKind.SURVEY, "행정만족도 조사 실시(연중, 알림톡 설문 링크)", (1, 2), (12, 31)),
        (MeasureKind.CHANNEL, "직원 대상 청렴톡(익명상담, 신고) 운영 → 위반자 조사 및 조치", (1, 2), (12, 31)),
    ]
    for kind, title, (m1, d1), (m2, d2) in items:
        Measure.objects.create(
            plan=plan,
            kind=kind,
            title=title,
            owner=owner,
            starts_on=dt.date(2024, m1, d1),
            ends_on=dt.date(2024, m2, d2),
            status=MeasureStatus.ONGOING,
        )
    day = dt.date(2024, 1, 8)
    for number, (title, name, topic) in enumerate(SPEAKERS):
        Broadcast.objects.create(
            plan=plan,
            on_date=day + dt.timedelta(weeks=number),
            speaker_title=title,
            speaker_name=name,
            topic=topic,
            done=number < 4,
        )
    for name, field, affiliation in AUDITORS:
        auditor = CitizenAuditor.objects.create(
            name=name,
            field=field,
            affiliation=affiliation,
            term_start=dt.date(2024, 2, 1),
            term_end=dt.date(2026, 1, 31),
        )
        AuditorActivity.objects.create(auditor=auditor, on_date=dt.date(2024, 2, 15), kind="위촉식·직무 교육")
    GuideDistribution.objects.create(
        plan=plan, on_date=dt.date(2024, 3, 11), edition="2024년판", recipients="상반기 신규 임용자", copies=42
    )
    GuideDistribution.objects.create(
        plan=plan, on_date=dt.date(2024, 7, 15), edition="2024년판", recipients="하반기 신규 임용자", copies=35
    )


def demo_receipts() -> list[str]:
    return [crypto.receipt_display(demo_receipt(i)) for i in range(len(CASES))]


def load() -> None:
    from hwallyu.integrity.selectors import office_key
    from hwallyu.integrity.services.keys import office_key_create

    if office_key() is None:
        office_key_create()  # demo: the recovery private key is dropped, never shown
    keys = _load_handlers()
    _load_cases(keys)
    _load_index()
    _load_plan()

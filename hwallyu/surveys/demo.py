"""Demo data: the 2024 round with a few thousand generated register rows, monthly sends through
the console backend (some failing over to SMS), and a realistic spread of anonymous answers."""

from __future__ import annotations

import datetime as dt
import io
import logging
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hwallyu.core.calendar import get_calendar
from hwallyu.notifications.channels import client as bizclient
from hwallyu.notifications.channels import outbox
from hwallyu.org import selectors as org
from hwallyu.org.models import Role
from hwallyu.surveys import importer, services
from hwallyu.surveys.models import Invitation, InvitationStatus, RegisterSource, Survey

DEMO_TITLE = "2024년 행정만족도 조사"
PETITION_TYPES = [
    ("주민등록표 등·초본 발급", 0),
    ("건축허가", 15),
    ("농지취득자격증명", 4),
    ("옥외광고물 표시 허가", 5),
    ("영업신고(일반음식점)", 3),
    ("개발행위허가", 15),
    ("도로점용허가", 10),
    ("정보공개청구", 10),
    ("지방세 감면 신청", 7),
    ("장애인 등록", 30),
    ("기초생활수급자 신청", 30),
    ("폐기물 처리 신고", 10),
]
COMMENTS = [
    "담당 공무원이 매우 친절하게 설명해 주셔서 좋았습니다.",
    "처리 속도가 빨라서 만족합니다.",
    "주차장이 부족해서 방문하기 불편했습니다.",
    "서류 안내가 부족해서 두 번 방문했습니다. 안내문을 보완해 주세요.",
    "전화 연결이 잘 안 되어 답답했습니다.",
    "친절하고 신속하게 처리해 주셔서 감사합니다.",
    "처리 기간이 너무 오래 걸렸습니다.",
    "온라인 신청 방법을 알려 주셔서 도움이 되었습니다.",
    "민원실 대기 시간이 길었습니다.",
    "담당자가 자주 바뀌어 설명을 여러 번 해야 했습니다.",
]


def _actor():  # type: ignore[no-untyped-def]
    users = org.users_with_role(Role.AUDIT) or org.users_with_role(Role.ADMIN) or org.users_with_role(Role.PLANNING)
    return users[0] if users else None


def _register_csv(rng: random.Random, departments: list[str], rows: int) -> bytes:
    out = io.StringIO()
    out.write("접수번호,접수일시,처리일시,민원사무명,처리부서,민원인,휴대전화,처리기간\n")
    weights = [rng.choice((1, 2, 4, 8)) for _ in departments]
    surnames = "김이박최정강조윤장임한오서신권황안송류전"
    for i in range(rows):
        received = dt.datetime(2024, 1, 2, 9) + dt.timedelta(minutes=rng.randrange(0, 330 * 24 * 60))
        received = received.replace(hour=rng.randrange(9, 18))
        petition, days = rng.choice(PETITION_TYPES)
        processed = received + dt.timedelta(hours=rng.randrange(1, max(2, days) * 24))
        phone = f"010-{rng.randrange(2000, 9999)}-{rng.randrange(0, 9999):04d}" if rng.random() > 0.08 else ""
        dept = rng.choices(departments, weights=weights)[0]
        name = rng.choice(surnames) + rng.choice("민서지현수영준하은도") + rng.choice("우연호아윤진빈혁")
        when = f"{received:%Y-%m-%d %H:%M},{processed:%Y-%m-%d %H:%M}"
        out.write(f"2024-{i + 1:06d},{when},{petition},{dept},{name},{phone},{days}\n")
    return out.getvalue().encode("utf-8")


def _first_working_day(year: int, month: int) -> dt.datetime:
    cal = get_calendar()
    day = dt.date(year, month, 1)
    while not cal.is_working_day(day):
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def load() -> None:
    build(rows=3000)


def build(*, rows: int) -> None:
    if Survey.objects.filter(title=DEMO_TITLE).exists():
        return
    actor = _actor()
    departments = [d.name for d in org.departments(active_only=True) if not d.is_planning_office]
    if actor is None or not departments:
        return
    rng = random.Random(2024)
    quiet = logging.getLogger("hwallyu.notifications.bizmessage")
    level = quiet.level
    quiet.setLevel(logging.WARNING)
    bizclient.set_client(bizclient.ConsoleBizMessageClient())
    try:
        _load(actor, departments, rng, rows)
    finally:
        bizclient.set_client(None)
        quiet.setLevel(level)


def _load(actor, departments: list[str], rng: random.Random, rows: int) -> None:  # type: ignore[no-untyped-def]
    survey = services.survey_create(year=2024, quarter=None, title=DEMO_TITLE, template=None, actor=actor)
    services.survey_open(survey=survey, actor=actor)
    upload = SimpleUploadedFile("2024_민원사무처리부.csv", _register_csv(rng, departments, rows), "text/csv")
    record = services.import_create(survey=survey, source=RegisterSource.PETITION, upload=upload, actor=actor)
    importer.run(record.id)
    quality = {d: rng.uniform(-0.9, 0.5) for d in departments}
    item_bias = {"kindness": 0.25, "speed": -0.2, "accuracy": 0.05, "fairness": 0.1, "overall": 0.0}
    questions = list(survey.questions.all())
    names = dict(org.departments().values_list("id", "name"))
    for month in range(2, 13):
        sent_at = _first_working_day(2024, month)
        services.invitations_send(survey=survey, actor=actor, now=sent_at)
        outbox.deliver_due(now=sent_at)
        delivered = outbox.delivered_keys(
            [
                f"survey:{survey.id}:invite:{i}"
                for i in Invitation.objects.filter(survey=survey, queued_at=sent_at).values_list("id", flat=True)
            ]
        )
        for invitation in Invitation.objects.filter(survey=survey, queued_at=sent_at, status=InvitationStatus.QUEUED):
            if invitation.outbox_key not in delivered or rng.random() > 0.42:
                continue
            mood = 4.0 + quality.get(names.get(invitation.department_id, ""), 0.0)
            values: dict[int, int | None] = {}
            texts: dict[int, str] = {}
            for q in questions:
                if q.kind == "scale5":
                    values[q.id] = max(1, min(5, round(rng.gauss(mood + item_bias.get(q.code, 0.0), 0.8))))
                elif q.kind == "yesno":
                    values[q.id] = 1 if rng.random() < 0.015 else 0
                elif rng.random() < 0.3:
                    texts[q.id] = rng.choice(COMMENTS)
            contact = f"010-{rng.randrange(2000, 9999)}-{rng.randrange(0, 9999):04d}" if rng.random() < 0.12 else ""
            services.answer_submit(
                token=invitation.token,
                values=values,
                texts=texts,
                incentive_contact=contact,
                now=sent_at + dt.timedelta(days=rng.randrange(0, 9), hours=rng.randrange(0, 8)),
            )
    services.answers_flush(survey_id=survey.id, force=True)

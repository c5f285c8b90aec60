"""The citizen's answer page: no login, no cookies, one answer per link, anonymity by construction."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
import time_machine
from django.db import connection, connections
from django.test import Client

from hwallyu.notifications.channels import outbox
from hwallyu.notifications.models import Notification, OutboxMessage
from hwallyu.surveys import services
from hwallyu.surveys.models import Answer, AnswerBuffer, AnswerItem, IncentiveEntry, Invitation, OptOut, RegisterEntry
from hwallyu.surveys.public_views import make_nonce
from hwallyu.surveys.tests.conftest import aware

MONDAY_10 = aware(2024, 3, 11, 10, 0)
ANSWER_TIME = aware(2024, 3, 12, 14, 37, 12)


@pytest.fixture
def sent(imported, org, console_provider):
    services.invitations_send(survey=imported, actor=org.auditor, now=MONDAY_10)
    outbox.deliver_due(now=MONDAY_10)
    return imported


def _form(survey, *, score: int = 4, bribe: int = 0, text: str = "", token: str = "", **extra) -> dict:
    data = {"nonce": make_nonce(token, survey.id, survey.incentive_enabled)}
    for q in survey.questions.all():
        if q.kind == "scale5":
            data[f"q{q.id}"] = str(score)
        elif q.kind == "yesno":
            data[f"q{q.id}"] = str(bribe)
        else:
            data[f"q{q.id}"] = text
    data.update(extra)
    return data


def _token(n: int = 0) -> Invitation:
    return Invitation.objects.order_by("id")[n]


@pytest.mark.django_db
@time_machine.travel(ANSWER_TIME, tick=False)
def test_answer_page_is_accessible_sets_no_cookie_and_takes_one_answer(sent) -> None:
    invitation = _token()
    client = Client()
    page = client.get(f"/s/{invitation.token}")
    assert page.status_code == 200
    html = page.content.decode()
    assert not page.cookies
    assert page["Cache-Control"] == "no-store" and page["Referrer-Policy"] == "same-origin"
    assert html.count("<fieldset") == 7 and html.count("<legend") == 7  # 5 scales, yes/no, incentive
    assert "1. 담당 공무원은 친절하게 응대했습니까?" in html
    assert re.search(
        r'<input type="radio" name="q\d+" value="5" [^>]*id="(id_q\d+_0)"[^>]*><label for="\1">5점 매우 만족', html
    )
    assert '<label class="sv-legend" for="id_q' in html  # the free text box has its label
    assert "<script" not in html and "csrfmiddlewaretoken" not in html

    response = client.post(f"/s/{invitation.token}", _form(sent, text="친절했어요", token=invitation.token))
    # POST/redirect/GET: the thank-you page is a GET of its own, so a reload never submits again
    assert response.status_code == 303, response.content.decode()
    assert response["Location"] == f"/s/{invitation.token}/done"
    assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "same-origin"
    assert not response.cookies
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and "응답해 주셔서 감사합니다" in thanks.content.decode()
    assert "사은품 응모도 접수했습니다" not in thanks.content.decode()
    assert not thanks.cookies and thanks["Cache-Control"] == "no-store"
    assert client.get(response["Location"]).status_code == 200  # reloading it changes nothing
    again = client.post(f"/s/{invitation.token}", _form(sent, token=invitation.token))
    assert again.status_code == 409
    assert "이미 응답해 주셨습니다" in again.content.decode()
    assert client.get(f"/s/{invitation.token}").status_code == 200
    assert AnswerBuffer.objects.count() == 1
    invitation.refresh_from_db()
    assert invitation.answered is True


@pytest.mark.django_db
@time_machine.travel(ANSWER_TIME, tick=False)
def test_missing_answers_rerender_with_errors_linked_to_fieldsets(sent) -> None:
    invitation = _token()
    data = _form(sent, token=invitation.token)
    first_scale = next(k for k in data if k.startswith("q"))
    del data[first_scale]
    response = Client().post(f"/s/{invitation.token}", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html and "이 문항에 답해 주세요." in html
    assert f'aria-describedby="id_{first_scale}_err"' in html
    assert not Invitation.objects.get(id=invitation.id).answered


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "setup", "status", "text"),
    [
        (ANSWER_TIME, "unknown", 404, "설문 주소를 찾을 수 없습니다"),
        (MONDAY_10 + dt.timedelta(days=15), None, 410, "응답 기간이 지났습니다"),
        (ANSWER_TIME, "closed", 410, "조사는 종료되었습니다"),
    ],
)
def test_unknown_expired_or_closed_links_get_a_kind_message(sent, org, moment, setup, status, text) -> None:
    token = _token().token
    if setup == "unknown":
        token = "this-is-not-a-real-token-at-all"
    if setup == "closed":
        services.survey_close(survey=sent, actor=org.auditor)
    with time_machine.travel(moment, tick=False):
        response = Client().get(f"/s/{token}")
    assert response.status_code == status
    assert text in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "setup", "status", "text"),
    [
        (ANSWER_TIME, "answered", 409, "이미 응답해 주셨습니다"),
        (ANSWER_TIME, "cancelled", 404, "설문 주소를 찾을 수 없습니다"),
        (MONDAY_10 + dt.timedelta(days=15), None, 410, "응답 기간이 지났습니다"),
        (ANSWER_TIME, "closed", 410, "조사는 종료되었습니다"),
    ],
)
def test_a_refused_answer_post_says_why_and_changes_nothing(sent, org, moment, setup, status, text) -> None:
    """Also once the process knows the round's questions, when PostgreSQL stores an answer without reading its
    link first: the one statement refuses, and only then is the link read for the reason."""
    invitation, other = _token(0), _token(1)
    with time_machine.travel(ANSWER_TIME, tick=False):
        assert Client().post(f"/s/{other.token}", _form(sent, token=other.token)).status_code == 303
    if setup == "cancelled":
        Invitation.objects.filter(id=invitation.id).update(status="cancelled")
    if setup == "closed":
        services.survey_close(survey=sent, actor=org.auditor)
    with time_machine.travel(moment, tick=False):
        data = _form(sent, token=invitation.token)  # the form as it was shown (an hour's old nonce is fine)
        if setup == "answered":
            assert Client().post(f"/s/{invitation.token}", data).status_code == 303
        buffered = AnswerBuffer.objects.count() + Answer.objects.count()
        response = Client().post(f"/s/{invitation.token}", data)
    assert response.status_code == status
    assert text in response.content.decode()
    assert AnswerBuffer.objects.count() + Answer.objects.count() == buffered
    assert Invitation.objects.get(id=invitation.id).answered == (setup == "answered")


@pytest.mark.django_db
@time_machine.travel(ANSWER_TIME, tick=False)
def test_an_answer_stored_without_reading_its_link_is_buffered_like_any_other(sent) -> None:
    first, second = _token(0), _token(1)
    services.reset_question_cache()
    client = Client()
    assert client.post(f"/s/{first.token}", _form(sent, text=" 친절했어요 ", token=first.token)).status_code == 303
    assert services.known_open_questions(sent.id) is not None  # the first answer read them
    assert client.post(f"/s/{second.token}", _form(sent, text=" 친절했어요 ", token=second.token)).status_code == 303
    payloads = sorted((b.payload for b in AnswerBuffer.objects.all()), key=lambda p: p["department_id"])
    expected = sorted(
        (
            {
                "department_id": i.department_id,
                "petition_type": i.petition_type,
                "source": i.source,
                "channel": outbox.delivered_via(i.outbox_key),
                "month": "2024-03-01",
                "values": {str(q.id): (0 if q.kind == "yesno" else 4) for q in sent.questions.exclude(kind="text")},
                "texts": {str(sent.questions.get(kind="text").id): "친절했어요"},
            }
            for i in (first, second)
        ),
        key=lambda p: p["department_id"],
    )
    assert payloads == expected
    assert Invitation.objects.filter(answered=True).count() == 2


@pytest.mark.django_db
@time_machine.travel(ANSWER_TIME, tick=False)
def test_a_nonce_is_bound_to_its_link_round_and_incentive_choice(sent) -> None:
    from hwallyu.surveys.public_views import make_nonce, read_nonce

    token = _token().token
    nonce = make_nonce(token, sent.id, True)
    assert read_nonce(token, nonce) == (sent.id, True)
    assert read_nonce(_token(1).token, nonce) is None
    stamp, survey_id, incentive, sig = nonce.split(".")
    assert read_nonce(token, f"{stamp}.{int(survey_id) + 1}.{incentive}.{sig}") is None
    assert read_nonce(token, f"{stamp}.{survey_id}.0.{sig}") is None
    assert read_nonce(token, make_nonce(token, sent.id, False, now=0)) is None  # stale
    assert (
        Client().post(f"/s/{token}", {**_form(sent, token=token), "nonce": f"{stamp}.{survey_id}.0.{sig}"}).status_code
        == 403
    )


@pytest.mark.django_db
@time_machine.travel(ANSWER_TIME, tick=False)
def test_forged_posts_are_refused(sent) -> None:
    invitation = _token()
    client = Client()
    no_nonce = _form(sent, token=invitation.token)
    no_nonce["nonce"] = "123.abc"
    assert client.post(f"/s/{invitation.token}", no_nonce).status_code == 403
    other_token_nonce = _form(sent, token=_token(1).token)
    assert client.post(f"/s/{invitation.token}", other_token_nonce).status_code == 403
    cross_site = client.post(
        f"/s/{invitation.token}", _form(sent, token=invitation.token), headers={"Origin": "https://evil.example"}
    )
    assert cross_site.status_code == 403
    assert not Invitation.objects.get(id=invitation.id).answered
    same_site = client.post(
        f"/s/{invitation.token}", _form(sent, token=invitation.token), headers={"Origin": "http://testserver"}
    )
    assert same_site.status_code == 303


@pytest.mark.django_db
@time_machine.travel(ANSWER_TIME, tick=False)
def test_the_stored_answer_is_anonymous(sent, org) -> None:
    for n in range(12):
        invitation = _token(n)
        services.answer_submit(
            token=invitation.token,
            values={q.id: 4 for q in sent.questions.filter(kind="scale5")},
            texts={sent.questions.get(kind="text").id: f"의견 {n}"},
            incentive_contact="010-9999-1234" if n == 0 else "",
        )
    assert services.answers_flush() == 12
    assert AnswerBuffer.objects.count() == 0
    columns = {f.name for f in Answer._meta.get_fields() if f.concrete}
    assert columns == {"id", "survey", "department", "petition_type", "source", "channel", "month"}
    assert {f.get_internal_type() for f in Answer._meta.concrete_fields} & {"DateTimeField"} == set()
    assert {f.name for f in AnswerItem._meta.concrete_fields} == {"id", "answer", "question", "value", "text"}
    answer = Answer.objects.first()
    assert answer.month == dt.date(2024, 3, 1)
    channels = set(Answer.objects.values_list("channel", flat=True))
    assert "alimtalk" in channels and channels <= {"alimtalk", "sms", "lms", ""}  # "" = delivery not confirmed
    assert isinstance(answer.id, __import__("uuid").UUID)

    invitation = _token(0)
    dump = _table_dump("surveys_answer") + _table_dump("surveys_answeritem")
    for secret in (
        invitation.token,
        invitation.phone,
        invitation.phone.replace("-", ""),
        invitation.phone_hash,
        "14:37",
        "2024-03-12",
        "010-9999-1234",
    ):
        assert secret not in dump, secret
    assert set(Invitation._meta.get_field("answered").get_internal_type() for _ in [0]) == {"BooleanField"}
    assert not any(f.name.startswith("answered_") for f in Invitation._meta.concrete_fields)
    entry = IncentiveEntry.objects.get()
    assert {f.name for f in IncentiveEntry._meta.concrete_fields} == {
        "id",
        "survey",
        "code",
        "contact",
        "contact_hash",
        "status",
    }
    assert entry.contact == "010-9999-1234"


@pytest.mark.django_db
@time_machine.travel(ANSWER_TIME, tick=False)
def test_answer_page_records_channel_and_incentive_in_few_queries(sent, django_assert_num_queries) -> None:
    delivered = [i for i in Invitation.objects.order_by("id") if outbox.delivered_via(i.outbox_key)]
    first, invitation = delivered[:2]
    client = Client()
    assert client.get(f"/s/{invitation.token}/done")["Location"] == f"/s/{invitation.token}"  # not answered yet
    data = _form(sent, token=invitation.token, incentive="on", contact="010-2222-3333")
    client.post(f"/s/{_token(0).token}", _form(sent, token=_token(0).token))  # reads the questions (once per process)
    # then, on PostgreSQL, an answer is one statement: its link is not read first (the form's nonce says the
    # round), the link is flipped and the answer buffered with the message's channel. SQLite reads the link with
    # the channel (one statement), then writes twice in a transaction (here a savepoint in the test's).
    plain = _form(sent, token=first.token)
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 5):
        assert client.post(f"/s/{first.token}", plain).status_code == 303
    response = client.post(f"/s/{invitation.token}", data)
    assert response.status_code == 303 and response["Location"].endswith("/done?incentive=1")
    thanks = client.get(response["Location"]).content.decode()
    assert "사은품 응모도 접수했습니다" in thanks
    assert IncentiveEntry.objects.get().contact == "010-2222-3333"
    channels = sorted(b.payload["channel"] for b in AnswerBuffer.objects.all())
    assert channels == sorted(outbox.delivered_via(i.outbox_key) for i in (_token(0), first, invitation))
    assert len([c for c in channels if c in {"alimtalk", "sms", "lms"}]) >= 2


@pytest.mark.django_db
@time_machine.travel(ANSWER_TIME, tick=False)
def test_forms_of_one_round_share_fields_but_not_answers_or_errors(sent) -> None:
    from hwallyu.surveys.forms import AnswerForm

    questions = services.open_questions(sent)
    wrong = AnswerForm({"nonce": "x"}, questions=questions, incentive=True)
    assert not wrong.is_valid() and len(wrong.errors) == sum(q.required for q in questions)
    right = AnswerForm(_form(sent), questions=questions, incentive=True)
    assert right.is_valid(), right.errors
    assert right.fields["incentive"] is wrong.fields["incentive"]  # built once for the round
    assert "이 문항에 답해 주세요." not in str(right)  # the other citizen's errors are not shown
    assert "checked" in str(right) and set(right.values()[0].values()) == {4, 0}
    blank = AnswerForm(questions=questions, incentive=False)
    assert "incentive" not in blank.fields and "checked" not in str(blank)
    # a question changed before the round opened gets fields of its own
    changed = [
        type(q)(**{**{f.attname: getattr(q, f.attname) for f in q._meta.concrete_fields}, "label": "바뀐 문항"})
        for q in questions
    ]
    assert "바뀐 문항" in str(AnswerForm(questions=changed, incentive=False))


def test_answering_touches_no_index_of_the_invitation() -> None:
    """An answer sets ``answered`` only; with that column in no index, PostgreSQL updates the row in place (HOT)."""
    indexed = {name for index in Invitation._meta.indexes for name in index.fields}
    indexed |= {name for constraint in Invitation._meta.constraints for name in constraint.fields}
    indexed |= {f.name for f in Invitation._meta.concrete_fields if f.db_index or f.unique}
    assert "answered" not in indexed
    assert "token" in indexed


@pytest.mark.django_db
def test_the_invitation_table_keeps_room_for_in_place_updates_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("fillfactor is a PostgreSQL storage setting")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [Invitation._meta.db_table])
        assert "fillfactor=80" in cursor.fetchone()[0]
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
            [Invitation._meta.db_table, "%answered%"],
        )
        assert cursor.fetchall() == []


def _table_dump(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")
        return repr(cursor.fetchall())


@pytest.mark.django_db
def test_answers_are_stored_in_shuffled_batches(sent, monkeypatch) -> None:
    order = []
    for n in range(10):
        invitation = _token(n)
        with time_machine.travel(ANSWER_TIME, tick=False):
            services.answer_submit(
                token=invitation.token, values={q.id: 1 + n % 5 for q in sent.questions.filter(kind="scale5")}, texts={}
            )
        order.append(1 + n % 5)
        if n < 9:
            assert services.answers_flush() == 0  # fewer than a batch: nothing reaches the answer table yet
    import random

    monkeypatch.setattr(random.SystemRandom, "shuffle", lambda self, rows: rows.reverse())
    assert services.answers_flush() == 10
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.value FROM surveys_answeritem i JOIN surveys_question q ON q.id = i.question_id "
            "WHERE q.code = 'kindness' ORDER BY i.id"
        )
        stored = [row[0] for row in cursor.fetchall()]
    assert stored == list(reversed(order))  # insertion order is the shuffle's, not the answer order


@pytest.mark.django_db
def test_closing_the_round_erases_phone_numbers_but_keeps_hashes(sent, org) -> None:
    with time_machine.travel(ANSWER_TIME, tick=False):
        services.answer_submit(
            token=_token().token, values={q.id: 5 for q in sent.questions.filter(kind="scale5")}, texts={}
        )
    hashes = set(Invitation.objects.values_list("phone_hash", flat=True))
    services.survey_close(survey=sent, actor=org.auditor)
    assert Answer.objects.count() == 1  # the buffer was flushed at closing
    assert not RegisterEntry.objects.exclude(phone="").exists()
    assert not RegisterEntry.objects.exclude(applicant="").exists()
    assert not Invitation.objects.exclude(phone="").exists()
    assert not Invitation.objects.exclude(message="").exists()
    assert set(Invitation.objects.values_list("phone_hash", flat=True)) == hashes
    assert not OutboxMessage.objects.filter(dedupe_key__startswith=sent.outbox_prefix).exclude(to_address="").exists()
    assert not OutboxMessage.objects.filter(dedupe_key__startswith=sent.outbox_prefix, body__contains="/s/").exists()


@pytest.mark.django_db
@time_machine.travel(ANSWER_TIME, tick=False)
def test_bribe_reports_alert_the_audit_team_without_identity(sent, org) -> None:
    bribe = sent.questions.get(is_bribe=True)
    for n in range(10):
        invitation = _token(n)
        values = {q.id: 3 for q in sent.questions.filter(kind="scale5")}
        values[bribe.id] = 1 if n < 2 else 0
        services.answer_submit(token=invitation.token, values=values, texts={})
    services.answers_flush()
    alert = Notification.objects.get(recipient=org.auditor, kind="surveys.bribe")
    assert "2건" in alert.title and "20.0%" in alert.body
    invitation = _token(0)
    for secret in (invitation.phone, invitation.token, invitation.petition_type, "미래전략과", "강경읍"):
        assert secret not in alert.title + alert.body
    assert not Notification.objects.filter(recipient=org.staff, kind="surveys.bribe").exists()


@pytest.mark.django_db
@time_machine.travel(ANSWER_TIME, tick=False)
def test_citizen_can_opt_out_from_the_link(sent) -> None:
    invitation = _token()
    response = Client().post(
        f"/s/{invitation.token}/optout", {"nonce": make_nonce(invitation.token, invitation.survey_id, True)}
    )
    assert response.status_code == 200 and "더 이상" in response.content.decode()
    assert OptOut.objects.filter(phone_hash=invitation.phone_hash).exists()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_of_one_link_store_one_answer(org, settings, tmp_path) -> None:
    from hwallyu.surveys import importer
    from hwallyu.surveys.tests.conftest import csv_bytes, register_rows, upload

    survey = services.survey_open(
        survey=services.survey_create(year=2024, quarter=None, title="동시성", template=None, actor=org.auditor),
        actor=org.auditor,
    )
    record = services.import_create(
        survey=survey, source="petition", upload=upload(csv_bytes(register_rows(1))), actor=org.auditor
    )
    importer.run(record.id)
    from hwallyu.notifications.channels import client as bizclient

    bizclient.set_client(bizclient.ConsoleBizMessageClient())
    try:
        services.invitations_send(survey=survey, actor=org.auditor, now=MONDAY_10)
    finally:
        bizclient.set_client(None)
    invitation = Invitation.objects.get(survey=survey)
    with time_machine.travel(ANSWER_TIME, tick=False):
        data = _form(survey, token=invitation.token)
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def submit() -> None:
        try:
            client = Client()
            barrier.wait()
            with time_machine.travel(ANSWER_TIME, tick=False):
                statuses.append(client.post(f"/s/{invitation.token}", data).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(statuses) == [303, 409]  # one accepted (redirected to its thank-you page), one refused
    assert AnswerBuffer.objects.filter(survey=survey).count() == 1

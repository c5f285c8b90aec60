"""The API: the anonymous channel without authentication, and the handlers' endpoints."""

from __future__ import annotations

from hwallyu.integrity.models import Case, Step

from .conftest import file_case

REPORTS = "/api/v1/integrity/reports"
RECEIPT = "/api/v1/integrity/receipt"
MESSAGES = "/api/v1/integrity/receipt/messages"


def _post(client, path, body, **extra):  # type: ignore[no-untyped-def]
    return client.post(path, body, content_type="application/json", **extra)


def test_file_follow_up_and_reply_without_authentication(client, handler):
    filed = _post(
        client, REPORTS, {"category": "부정청탁", "kind": "report", "title": "청탁 신고", "body": "내용입니다"}
    )
    assert filed.status_code == 201
    receipt = filed.json()["receipt"]
    assert len(receipt) == 16 and receipt.isdigit()
    case = Case.objects.get()
    assert (case.category, case.kind) == ("solicitation", "report")
    state = _post(client, RECEIPT, {"receipt": receipt})
    assert state.status_code == 200
    assert state.json() == {
        "state": "received",
        "state_label": "접수",
        "kind": "report",
        "category": "solicitation",
        "messages": [],
    }
    from hwallyu.integrity.services.cases import case_message_add

    case_message_add(case=case, actor=handler.user, kind="answer", body="확인 중입니다")
    case_message_add(case=case, actor=handler.user, kind="note", body="내부용")
    replied = _post(client, MESSAGES, {"receipt": receipt, "body": "감사합니다"})
    assert replied.status_code == 201
    messages = replied.json()["messages"]
    assert [(m["author"], m["body"]) for m in messages] == [("handler", "확인 중입니다"), ("reporter", "감사합니다")]


def test_category_accepts_codes_and_labels_and_refuses_others(client, handler):
    assert (
        _post(client, REPORTS, {"category": "conflict", "kind": "counsel", "title": "t", "body": "b"}).status_code
        == 201
    )
    bad = _post(client, REPORTS, {"category": "없는유형", "kind": "counsel", "title": "t", "body": "b"})
    assert bad.status_code == 422 and "유형" in bad.json()["detail"]
    kind = _post(client, REPORTS, {"category": "기타", "kind": "complaint", "title": "t", "body": "b"})
    assert kind.status_code == 422
    empty = _post(client, REPORTS, {"category": "기타", "kind": "counsel", "title": " ", "body": "b"})
    assert empty.status_code == 422 and "제목" in empty.json()["detail"]


def test_wrong_receipts_get_one_calm_answer(client, handler):
    file_case()
    answers = {
        (r.status_code, r.json()["detail"])
        for r in (
            _post(client, RECEIPT, {"receipt": "0000000000000000"}),
            _post(client, RECEIPT, {"receipt": "12"}),
            _post(client, MESSAGES, {"receipt": "1111111111111111", "body": "x"}),
        )
    }
    assert answers == {(404, "접수번호를 확인할 수 없습니다. 16자리 번호를 다시 확인해 주세요.")}


def test_handler_endpoints_need_a_designated_handler(client, org, handler):
    case, _ = file_case(title="API 제목")
    for user in (org.planner, org.admin, org.staff):
        client.force_login(user)
        assert client.get("/api/v1/integrity/cases").status_code == 403
    client.logout()
    assert client.get("/api/v1/integrity/cases").status_code == 401
    client.force_login(handler.user)
    listed = client.get("/api/v1/integrity/cases")
    assert listed.status_code == 200
    row = listed.json()[0]
    assert row["number"] == case.number and "title" not in row
    wrong = _post(client, f"/api/v1/integrity/cases/{case.number}/open", {"passphrase": "틀린 암호문구 입니다요"})
    assert wrong.status_code == 403
    opened = _post(client, f"/api/v1/integrity/cases/{case.number}/open", {"passphrase": handler.passphrase})
    assert opened.status_code == 200 and opened.json()["title"] == "API 제목"
    answered = _post(client, f"/api/v1/integrity/cases/{case.number}/messages", {"kind": "answer", "body": "답"})
    assert answered.status_code == 201
    moved = _post(client, f"/api/v1/integrity/cases/{case.number}/step", {"step": "investigation"})
    assert moved.status_code == 200 and moved.json()["step"] == Step.INVESTIGATION
    back = _post(client, f"/api/v1/integrity/cases/{case.number}/step", {"step": "review"})
    assert back.status_code == 422


def test_api_answers_are_not_cached(client, handler):
    response = _post(client, REPORTS, {"category": "기타", "kind": "counsel", "title": "t", "body": "b"})
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies

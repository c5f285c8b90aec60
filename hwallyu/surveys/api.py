"""Survey endpoints under /api/v1/surveys: imports, sends, results."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from hwallyu.surveys import selectors, services
from hwallyu.surveys.models import RegisterImport, RegisterSource, Survey
from hwallyu.surveys.policies import MANAGE, VIEW, survey_policy

router = Router(tags=["행정만족도 조사"])


def _survey(request: HttpRequest, survey_id: int, action: str) -> Survey:
    survey = survey_policy.get_visible_or_404(request.user, id=survey_id)
    survey_policy.check(request.user, action, survey)
    return survey


class SurveyOut(Schema):
    id: int
    title: str
    year: int
    quarter: int | None
    status: str


class ImportOut(Schema):
    id: int
    status: str
    status_label: str
    source: str
    filename: str
    percent: int
    rows_read: int
    rows_added: int
    rows_duplicate: int
    error_count: int
    errors: list[dict[str, Any]]
    message: str
    progress_url: str


def _import_out(record: RegisterImport) -> dict[str, Any]:
    return {
        "id": record.id,
        "status": record.status,
        "status_label": record.get_status_display(),
        "source": record.source,
        "filename": record.filename,
        "percent": record.percent,
        "rows_read": record.rows_read,
        "rows_added": record.rows_added,
        "rows_duplicate": record.rows_duplicate,
        "error_count": record.error_count,
        "errors": record.errors[:100],
        "message": record.message,
        "progress_url": f"/api/v1/surveys/{record.survey_id}/imports/{record.id}",
    }


@router.get("", response=list[SurveyOut], summary="조사 회차 목록")
def survey_list(request: HttpRequest) -> list[Survey]:
    survey_policy.check(request.user, VIEW)
    return list(survey_policy.scope(request.user))


@router.post("/{survey_id}/imports", response={202: ImportOut}, summary="명부 파일 가져오기(비동기)")
def import_create(
    request: HttpRequest, survey_id: int, file: File[UploadedFile], source: Form[str] = RegisterSource.PETITION
) -> tuple[int, dict[str, Any]]:
    survey = _survey(request, survey_id, MANAGE)
    record = services.import_create(survey=survey, source=source, upload=file, actor=request.user)
    record.refresh_from_db()
    return 202, _import_out(record)


@router.get("/{survey_id}/imports/{import_id}", response=ImportOut, summary="가져오기 진행 상황")
def import_detail(request: HttpRequest, survey_id: int, import_id: int) -> dict[str, Any]:
    survey = _survey(request, survey_id, MANAGE)
    return _import_out(get_object_or_404(RegisterImport, id=import_id, survey=survey))


class SendOut(Schema):
    prepared: int
    queued: int
    starts_at: str


@router.post("/{survey_id}/invitations/send", response=SendOut, summary="설문 안내 보내기(발송 허용 시간 안에서)")
def invitations_send(request: HttpRequest, survey_id: int) -> dict[str, Any]:
    survey = _survey(request, survey_id, MANAGE)
    result = services.invitations_send(survey=survey, actor=request.user)
    return {"prepared": result.prepared, "queued": result.queued, "starts_at": result.starts_at.isoformat()}


class ItemOut(Schema):
    code: str
    label: str
    answers: int
    score: Decimal | None


class GroupOut(Schema):
    label: str
    answers: int | None
    hidden: bool
    overall: Decimal | None
    scores: dict[str, Decimal | None]


class ResultsOut(Schema):
    survey: SurveyOut
    invited: int
    delivered: int
    delivered_alimtalk: int
    delivered_fallback: int
    answered: int
    response_rate: Decimal | None
    min_group_size: int
    items: list[ItemOut]
    groups: dict[str, list[GroupOut]]
    bribe_yes: int
    bribe_share: Decimal
    keywords: list[list[Any]]


@router.get("/{survey_id}/results", response=ResultsOut, summary="결과(100점 환산, 소규모 집단 비공개)")
def results(request: HttpRequest, survey_id: int, keywords: bool = False) -> dict[str, Any]:
    survey = _survey(request, survey_id, VIEW)
    data = selectors.results(survey, with_keywords=keywords)
    codes = [q.code for q in data["questions"]]
    summary = data["summary"]
    return {
        "survey": survey,
        "invited": summary["queued"],
        "delivered": summary["delivery"]["delivered"],
        "delivered_alimtalk": summary["delivery"]["alimtalk"],
        "delivered_fallback": summary["fallback"],
        "answered": summary["answered"],
        "response_rate": summary["rate"],
        "min_group_size": survey.min_group_size,
        "items": [
            {"code": i["code"], "label": i["label"], "answers": i["n"], "score": i["score"]} for i in data["items"]
        ],
        "groups": {
            by: [
                {
                    "label": r["label"],
                    "answers": None if r["hidden"] else r["n"],
                    "hidden": r["hidden"],
                    "overall": r["overall"],
                    "scores": dict(zip(codes, r["scores"], strict=True)),
                }
                for r in rows
            ]
            for by, rows in data["groups"].items()
        },
        "bribe_yes": data["bribe"]["yes"],
        "bribe_share": data["bribe"]["share"],
        "keywords": [[w, n] for w, n in data["keywords"]],
    }

"""Platform endpoints: auth token, me, calendar (the organisation's are in hwallyu.api.org)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Query, Router, Schema

from hwallyu.accounts.services import api_token_create, otp_required_for
from hwallyu.api.base import ServiceError
from hwallyu.core.calendar import CalendarError, get_calendar
from hwallyu.org import selectors as org

router = Router()


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


@router.post("/auth/token", auth=None, response=TokenOut, tags=["인증"], summary="API 토큰 발급")
def auth_token(request: HttpRequest, payload: TokenIn) -> dict[str, str]:
    # authenticate() with the request goes through django-axes: repeated failures lock the
    # username out (429, Korean detail) and even the right password is refused until cool-off.
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        raise ServiceError("아이디 또는 비밀번호가 올바르지 않습니다.", status=401)
    if otp_required_for(user):
        raise ServiceError(
            "2단계 인증이 필요한 계정은 비밀번호만으로 토큰을 받을 수 없습니다. '내 계정' 화면에서 토큰을 발급하세요.",
            status=403,
        )
    _, raw = api_token_create(user=user, name="API 로그인")
    return {"token": raw}


class MeOut(Schema):
    username: str
    name: str
    role: str | None
    role_label: str | None
    department: str | None
    department_code: str | None
    team: str | None
    position: str | None


@router.get("/me", response=MeOut, tags=["인증"], summary="내 정보")
def me(request: HttpRequest) -> dict[str, object]:
    user: Any = request.user
    person = org.person_of(user)
    role = org.role_of(user)
    return {
        "username": user.get_username(),
        "name": user.get_full_name() or user.get_username(),
        "role": role,
        "role_label": org.Role(role).label if role else None,
        "department": person.department.name if person else None,
        "department_code": person.department.code if person else None,
        "team": person.team.name if person and person.team else None,
        "position": person.position if person else None,
    }


class DeadlineQuery(Schema):
    start: dt.datetime
    days: int | None = None
    rule: Literal["same_day"] | None = None


class DeadlineOut(Schema):
    due: str


@router.get("/calendar/deadline", response=DeadlineOut, tags=["업무일 계산"], summary="기한 계산")
def deadline(request: HttpRequest, query: Query[DeadlineQuery]) -> dict[str, str]:
    if query.start.tzinfo is None:
        raise ServiceError("시작 시각에 시간대(예: +09:00)를 포함하세요.")
    if (query.days is None) == (query.rule is None):
        raise ServiceError("days(일수)와 rule=same_day 중 하나만 지정하세요.")
    if query.days is not None and not 1 <= query.days <= 3650:
        raise ServiceError("일수는 1 이상 3650 이하여야 합니다.")
    calendar = get_calendar()
    try:
        due = (
            calendar.same_day(query.start)
            if query.rule == "same_day"
            else calendar.deadline(query.start, query.days or 0)
        )
    except CalendarError as exc:
        raise ServiceError(str(exc)) from exc
    return {"due": due.isoformat()}

"""Initiatives: list, register, read, change; portfolio, summary and the status report."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Status
from pydantic import create_model

from hwallyu.api.base import ServiceError
from hwallyu.core.documents import report_response
from hwallyu.initiatives import reports, selectors, services
from hwallyu.initiatives.api.base import (
    in_schema,
    initiative_or_404,
    out_schema,
    payload_fields,
    router,
    serialize,
)
from hwallyu.initiatives.models import (
    Initiative,
)
from hwallyu.org import selectors as org

# --- initiatives -------------------------------------------------------------------------------------

INITIATIVE_OUT = [
    "name",
    "kind",
    "team",
    "starts_on",
    "ends_on",
    "aims",
    "summary",
    "status",
    "budget_total",
    "reminder_days",
]
InitiativeOut = out_schema(
    "InitiativeOut", Initiative, INITIATIVE_OUT, departments=(list[str], ...), team_name=(str, ...)
)
_INITIATIVE_IN = [n for n in INITIATIVE_OUT if n != "team"]


InitiativeIn = create_model(
    "InitiativeIn",
    __base__=in_schema("InitiativeInBase", Initiative, _INITIATIVE_IN, required=["name", "starts_on", "ends_on"]),
    team_id=(int, ...),
    departments=(list[str] | None, None),
)
InitiativePatch = create_model(
    "InitiativePatch",
    __base__=in_schema("InitiativePatchBase", Initiative, _INITIATIVE_IN, patch=True),
    team_id=(int | None, None),
    departments=(list[str] | None, None),
)


def _initiative_out(initiative: Initiative) -> dict[str, Any]:
    data = serialize(initiative, INITIATIVE_OUT)
    data["departments"] = [d.code for d in initiative.departments.all()]
    data["team_name"] = str(initiative.team)
    return data


def _initiative_fields(data: dict[str, Any]) -> dict[str, Any]:
    if "team_id" in data:
        team_id = data.pop("team_id")
        team = org.active_teams().filter(pk=team_id).first() if team_id is not None else None
        if team is None:
            raise ServiceError(f"팀 {team_id}을(를) 찾을 수 없습니다.")
        data["team"] = team
    if "departments" in data:
        codes = data.pop("departments") or []
        found, missing = org.departments_by_codes(codes)
        if missing:
            raise ServiceError(f"부서 코드를 찾을 수 없습니다: {', '.join(missing)}")
        data["departments"] = found
    return data


@router.get("/", response=list[InitiativeOut], summary="전략사업 목록")  # type: ignore[valid-type]
def initiative_list(request: HttpRequest) -> list[dict[str, Any]]:
    qs = selectors.visible_initiatives(request.user).prefetch_related("departments")
    return [_initiative_out(i) for i in qs]


@router.post("/", response={201: InitiativeOut}, summary="전략사업 등록")
def initiative_create(request: HttpRequest, payload: InitiativeIn) -> Status:  # type: ignore[valid-type]
    data = _initiative_fields(payload_fields(payload, patch=False))
    initiative = services.initiative_create(actor=request.user, **data)
    return Status(201, _initiative_out(initiative))


@router.get("/portfolio", summary="전략사업 현황(30일 내 일정, 지연, 서명, 최근 변경)")
def portfolio(request: HttpRequest) -> dict[str, Any]:
    data = selectors.portfolio(request.user)

    def item(u: selectors.Upcoming) -> dict[str, Any]:
        return {"date": u.day, "kind": u.kind, "initiative_id": u.initiative.pk, "title": u.title, "note": u.note}

    return {
        "today": data.today,
        "initiatives": [
            {
                "id": r.initiative.pk,
                "name": r.initiative.name,
                "status": r.initiative.status,
                "stages_done": r.stages_done,
                "stages_total": r.stages_total,
                "late": r.late,
                "next_stage": r.next_stage.name if r.next_stage else None,
                "partners": r.partners,
                "signed": r.signed,
                "budget_total": r.initiative.budget_total,
            }
            for r in data.rows
        ],
        "upcoming": [item(u) for u in data.upcoming],
        "late": [item(u) for u in data.late],
        "signed": [
            {"initiative_id": p.initiative_id, "partner_id": p.pk, "name": p.name, "state": p.state, "on": p.state_on}
            for p in data.signed
        ],
        "changes": [
            {"date": c.day, "initiative_id": c.initiative.pk, "what": c.what, "title": c.title} for c in data.changes
        ],
    }


@router.get("/{int:initiative_id}", response=InitiativeOut, summary="전략사업")
def initiative_detail(request: HttpRequest, initiative_id: int) -> dict[str, Any]:
    return _initiative_out(initiative_or_404(request, initiative_id))


@router.patch("/{int:initiative_id}", response=InitiativeOut, summary="전략사업 수정(상태 변경 포함)")
def initiative_patch(request: HttpRequest, initiative_id: int, payload: InitiativePatch) -> dict[str, Any]:  # type: ignore[valid-type]
    initiative = initiative_or_404(request, initiative_id)
    data = _initiative_fields(payload_fields(payload, patch=True))
    services.initiative_update(initiative=initiative, actor=request.user, **data)
    return _initiative_out(initiative_or_404(request, initiative_id))


@router.get("/{int:initiative_id}/summary", summary="전략사업 요약(단계·예산 검사·서명)")
def initiative_summary(request: HttpRequest, initiative_id: int) -> dict[str, Any]:
    initiative = initiative_or_404(request, initiative_id)
    on = selectors.today()
    stages = selectors.milestones(initiative)
    view = selectors.budget(initiative)
    partners = selectors.partners(initiative)
    return {
        "stages_total": len(stages),
        "stages_done": sum(1 for m in stages if m.state == "done"),
        "late": [m.pk for m in stages if m.late_state(on) == "late"],
        "budget": {
            "declared": view.declared,
            "lines_in_total": view.in_total,
            "outside_total": view.outside,
            "check": view.check,
            "message": view.message,
            "workplan": [
                {"line_id": r.line.pk, "workplan_line_id": r.line.workplan_line_id, "link": r.link} for r in view.rows
            ],
        },
        "partners": {"total": len(partners), "signed": sum(1 for p in partners if p.is_signed)},
    }


@router.get("/{int:initiative_id}/report", summary="추진상황 보고서(HWPX·XLSX)")
def initiative_report(request: HttpRequest, initiative_id: int, format: str = "hwpx") -> HttpResponse:
    initiative = initiative_or_404(request, initiative_id)
    if format not in ("hwpx", "xlsx"):
        raise ServiceError("format은 hwpx 또는 xlsx입니다.")
    on = selectors.today()
    return report_response(reports.status_report(initiative, on=on), format, f"{initiative.name}_추진상황_{on:%Y%m%d}")

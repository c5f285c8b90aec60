"""Forms of strategic initiatives.  Amounts are typed in 백만원 and handed to the services in won;
the services check every rule again (the API goes straight to them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model

from hwallyu.initiatives import links
from hwallyu.initiatives.models import (
    AgreementState,
    BudgetLine,
    ContactChannel,
    DatePrecision,
    DocumentKind,
    Event,
    EventKind,
    EventState,
    Initiative,
    InitiativeKind,
    InitiativeStatus,
    InstitutionContact,
    InstitutionState,
    InstitutionTarget,
    InstitutionType,
    Milestone,
    MilestoneState,
    Partner,
    PartnerContact,
    PartnerKind,
    PartnerMeeting,
    Readiness,
    ReviewCriterion,
    Target,
)
from hwallyu.initiatives.money import from_million, to_million
from hwallyu.initiatives.services.documents import ALLOWED_TEXT, MAX_DOCUMENT_BYTES
from hwallyu.org import selectors as org

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ACCEPT = ",".join(f".{ext.strip()}" for ext in ALLOWED_TEXT.split(","))
FILE_HELP = f"{ALLOWED_TEXT} 형식, {MAX_DOCUMENT_BYTES // (1024 * 1024)}MB 이하"


def _date(label: str, *, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE, help_text=help_text)


def _text(label: str, rows: int = 3, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), help_text=help_text
    )


def _file(label: str = "증빙 문서", *, required: bool = False) -> forms.FileField:
    return forms.FileField(
        label=label, required=required, help_text=FILE_HELP, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )


class MillionField(forms.DecimalField):
    """An amount typed in 백만원, cleaned to whole won."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 6)
        kwargs.setdefault("min_value", Decimal(0))
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("step", "any")

    def clean(self, value: Any) -> int | None:  # type: ignore[override]
        amount = super().clean(value)
        if amount is None:
            return None
        try:
            return from_million(amount)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


def initial_from(obj: Any, names: list[str], money: tuple[str, ...] = ()) -> dict[str, Any]:
    data = {}
    for name in names:
        value = getattr(obj, name)
        data[name] = to_million(value) if name in money else value
    return data


# --- the initiative -------------------------------------------------------------------------


class InitiativeForm(forms.Form):
    name = forms.CharField(label="사업명", max_length=200)
    kind = forms.ChoiceField(label="구분", choices=InitiativeKind.choices)
    team = forms.ModelChoiceField(label="담당 팀", queryset=org.active_teams())
    status = forms.ChoiceField(label="상태", choices=InitiativeStatus.choices, initial=InitiativeStatus.ACTIVE)
    starts_on = _date("시작일", required=True)
    ends_on = _date("종료일", required=True)
    budget_total = MillionField(label="총사업비(백만원)", required=False)
    departments = forms.ModelMultipleChoiceField(
        label="협업 부서",
        queryset=org.departments(active_only=True),
        required=False,
        help_text="이 부서의 부서장·담당자도 사업을 열람합니다. 여러 개는 Ctrl 키를 누른 채 고르세요.",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    reminder_days = forms.CharField(
        label="알림 시점(근무일 전)",
        max_length=40,
        initial="10,1",
        help_text="예: 10,1 → 계획일 10근무일 전과 1근무일 전",
    )
    aims = _text("추진 목표", 3, help_text="한 줄에 하나씩")
    summary = _text("개요", 5)

    FIELDS = [
        "name",
        "kind",
        "team",
        "status",
        "starts_on",
        "ends_on",
        "budget_total",
        "departments",
        "reminder_days",
        "aims",
        "summary",
    ]

    @classmethod
    def initial_for(cls, initiative: Initiative) -> dict[str, Any]:
        data = initial_from(initiative, [n for n in cls.FIELDS if n != "departments"], money=("budget_total",))
        data["departments"] = list(initiative.departments.all())
        return data


# --- milestones and readiness ----------------------------------------------------------------------


class MilestoneForm(forms.Form):
    order = forms.IntegerField(label="순서", min_value=1, max_value=999, required=False, help_text="비우면 마지막")
    name = forms.CharField(label="단계", max_length=200)
    deciding_body = forms.CharField(label="결정 기관", max_length=100, required=False)
    planned_on = _date("계획일")
    planned_precision = forms.ChoiceField(
        label="계획일 단위",
        choices=DatePrecision.choices,
        initial=DatePrecision.DAY,
        help_text="'월'이면 그 달 말일까지로 봅니다(예: ′24.5월).",
    )
    state = forms.ChoiceField(label="상태", choices=MilestoneState.choices, initial=MilestoneState.PLANNED)
    actual_on = _date("실제 일자", help_text="완료한 날. 입력하면 상태는 '완료'여야 합니다.")
    note = _text("비고", 2, help_text="앞 단계보다 실제 일자가 이르면 그 사유를 적으세요.")

    FIELDS = ["order", "name", "deciding_body", "planned_on", "planned_precision", "state", "actual_on", "note"]

    @classmethod
    def initial_for(cls, milestone: Milestone) -> dict[str, Any]:
        return initial_from(milestone, cls.FIELDS)


class MilestoneCompleteForm(forms.Form):
    actual_on = _date("완료일(실제 일자)", required=True)
    note = _text("비고", 2, help_text="앞 단계보다 이르면 사유를 적으세요.")
    upload = _file()
    document_title = forms.CharField(label="문서 제목", max_length=200, required=False)
    document_kind = forms.ChoiceField(
        label="문서 종류", choices=DocumentKind.choices, initial=DocumentKind.EVIDENCE, required=False
    )

    def clean_document_kind(self) -> str:
        return self.cleaned_data.get("document_kind") or DocumentKind.EVIDENCE


class CriterionForm(forms.Form):
    review = forms.CharField(label="심사·평가", max_length=100, help_text="예: 기획재정부 국제행사 심사")
    order = forms.IntegerField(label="순서", min_value=0, max_value=999, required=False)
    name = forms.CharField(label="평가 항목", max_length=200)
    description = _text("내용", 2)
    owner = forms.ModelChoiceField(label="담당자", queryset=get_user_model().objects.none(), required=False)
    state = forms.ChoiceField(label="준비 상태", choices=Readiness.choices, initial=Readiness.NOT_STARTED)
    due_on = _date("준비 기한")
    evidence = _text("근거·증빙", 3, help_text="준비 완료로 표시하려면 근거를 적거나 문서를 올리세요.")
    upload = _file()

    FIELDS = ["review", "order", "name", "description", "owner", "state", "due_on", "evidence"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [u.pk for u in org.planning_office_users()]
        current = self.initial.get("owner")
        if current is not None:
            ids.append(getattr(current, "pk", current))
        self.fields["owner"].queryset = get_user_model().objects.filter(pk__in=ids).order_by("first_name")  # type: ignore[attr-defined]
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.get_username()  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, criterion: ReviewCriterion) -> dict[str, Any]:
        return initial_from(criterion, cls.FIELDS)


# --- partners ------------------------------------------------------------------------------------------


class PartnerForm(forms.Form):
    name = forms.CharField(label="기관명", max_length=200)
    kind = forms.ChoiceField(label="구분", choices=PartnerKind.choices)
    order = forms.IntegerField(label="순서", min_value=0, max_value=999, required=False)
    role = _text("협력 내용", 3)
    note = _text("비고", 2)

    FIELDS = ["name", "kind", "order", "role", "note"]

    @classmethod
    def initial_for(cls, partner: Partner) -> dict[str, Any]:
        return initial_from(partner, cls.FIELDS)


class PartnerStateForm(forms.Form):
    state = forms.ChoiceField(label="협약 상태", choices=AgreementState.choices)
    on = _date("변경일", required=True)
    note = _text("비고", 2, help_text="중단하면 사유를 적으세요.")
    upload = _file("서명 문서", required=False)
    document_kind = forms.ChoiceField(
        label="문서 종류",
        choices=[("", "상태에 맞게(참여의향서·업무협약서)"), *DocumentKind.choices],
        required=False,
    )
    document_title = forms.CharField(label="문서 제목", max_length=200, required=False)


class ContactForm(forms.Form):
    name = forms.CharField(label="이름", max_length=100)
    position = forms.CharField(label="소속·직위", max_length=100, required=False)
    phone = forms.CharField(label="전화", max_length=40, required=False)
    email = forms.EmailField(label="전자우편", required=False)
    note = forms.CharField(label="비고", max_length=200, required=False)

    FIELDS = ["name", "position", "phone", "email", "note"]

    @classmethod
    def initial_for(cls, contact: PartnerContact) -> dict[str, Any]:
        return initial_from(contact, cls.FIELDS)


class MeetingForm(forms.Form):
    held_on = _date("일자", required=True)
    place = forms.CharField(label="장소", max_length=200, required=False)
    attendees = forms.CharField(label="참석자", max_length=300, required=False)
    summary = _text("협의 내용", 4, required=True)
    follow_up = _text("후속 조치", 2)

    FIELDS = ["held_on", "place", "attendees", "summary", "follow_up"]

    @classmethod
    def initial_for(cls, meeting: PartnerMeeting) -> dict[str, Any]:
        return initial_from(meeting, cls.FIELDS)


# --- targets, budget, events ----------------------------------------------------------------------------


class TargetForm(forms.Form):
    order = forms.IntegerField(label="순서", min_value=0, max_value=999, required=False)
    name = forms.CharField(label="목표", max_length=200, help_text="예: 방문객")
    value = forms.DecimalField(label="목표값", max_digits=16, decimal_places=2, min_value=Decimal("0.01"))
    unit = forms.CharField(label="단위", max_length=20, help_text="예: 명")
    actual = forms.DecimalField(
        label="현재 실적", max_digits=16, decimal_places=2, min_value=Decimal(0), required=False
    )
    actual_on = _date("실적 기준일")
    note = forms.CharField(label="비고", max_length=200, required=False)

    FIELDS = ["order", "name", "value", "unit", "actual", "actual_on", "note"]

    @classmethod
    def initial_for(cls, target: Target) -> dict[str, Any]:
        return initial_from(target, cls.FIELDS)


class BudgetLineForm(forms.Form):
    year = forms.IntegerField(label="연도", min_value=2000, max_value=2100)
    name = forms.CharField(label="항목", max_length=200)
    total = MillionField(label="계(백만원)", help_text="재원 합계와 같아야 합니다.")
    national = MillionField(label="국비", required=False)
    provincial = MillionField(label="도비", required=False)
    city = MillionField(label="시비", required=False)
    other = MillionField(label="기타(수익)", required=False)
    in_total = forms.BooleanField(
        label="총사업비에 포함",
        required=False,
        initial=True,
        help_text="승인 준비비처럼 총사업비 밖의 예산이면 끄세요.",
    )
    workplan_line_id = forms.TypedChoiceField(
        label="업무계획 사업비 조서", coerce=int, required=False, empty_value=None
    )
    order = forms.IntegerField(label="순서", min_value=0, max_value=999, required=False)
    note = forms.CharField(label="비고", max_length=200, required=False)

    FIELDS = [
        "year",
        "name",
        "total",
        "national",
        "provincial",
        "city",
        "other",
        "in_total",
        "workplan_line_id",
        "order",
        "note",
    ]
    MONEY = ("total", "national", "provincial", "city", "other")

    def __init__(self, *args: Any, initiative: Initiative, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["workplan_line_id"])
        if not links.workplan_installed():
            field.choices = [("", "업무계획 연계 없음")]
            field.disabled = True
            return
        choices: list[tuple[Any, str]] = [("", "연계하지 않음")]
        for year in range(initiative.starts_on.year, initiative.ends_on.year + 1):
            for line in links.statement_lines(year):
                amount = to_million(line.amount)
                choices.append((line.id, f"{year}년 · {line.name} (계 {amount if amount is not None else '-'})"))
        field.choices = choices
        field.help_text = "연도가 같은 해의 사업비 조서 행만 연계됩니다."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("national", "provincial", "city", "other"):
            if data.get(name) is None and name in data:
                data[name] = 0
        return data

    @classmethod
    def initial_for(cls, line: BudgetLine) -> dict[str, Any]:
        return initial_from(line, cls.FIELDS, money=cls.MONEY)


class EventForm(forms.Form):
    title = forms.CharField(label="행사명", max_length=200)
    kind = forms.ChoiceField(label="구분", choices=EventKind.choices)
    starts_on = _date("일자(시작)", required=True)
    ends_on = _date("종료일", help_text="하루 행사면 비우세요.")
    tentative = forms.BooleanField(label="일정 미확정", required=False)
    place = forms.CharField(label="장소", max_length=200, required=False)
    audience = forms.CharField(label="대상", max_length=200, required=False)
    state = forms.ChoiceField(label="상태", choices=EventState.choices, initial=EventState.PLANNED)
    outcome = _text("결과", 3)
    note = forms.CharField(label="비고", max_length=300, required=False)

    FIELDS = ["title", "kind", "starts_on", "ends_on", "tentative", "place", "audience", "state", "outcome", "note"]

    @classmethod
    def initial_for(cls, event: Event) -> dict[str, Any]:
        return initial_from(event, cls.FIELDS)


# --- institutions ----------------------------------------------------------------------------------------


class InstitutionForm(forms.Form):
    name = forms.CharField(label="기관명", max_length=200)
    type = forms.ChoiceField(label="유형", choices=InstitutionType.choices)
    parent = forms.CharField(label="소관 부처", max_length=100, required=False)
    state = forms.ChoiceField(label="유치 상태", choices=InstitutionState.choices, initial=InstitutionState.INTEREST)
    state_on = _date("상태 변경일", help_text="비우면 상태를 바꾼 오늘")
    decided_year = forms.IntegerField(label="확정 연도", min_value=1950, max_value=2100, required=False)
    order = forms.IntegerField(label="순서", min_value=0, max_value=999, required=False)
    note = _text("비고", 2)

    FIELDS = ["name", "type", "parent", "state", "state_on", "decided_year", "order", "note"]

    @classmethod
    def initial_for(cls, institution: InstitutionTarget) -> dict[str, Any]:
        return initial_from(institution, cls.FIELDS)


class InstitutionContactForm(forms.Form):
    contacted_on = _date("일자", required=True)
    channel = forms.ChoiceField(label="방법", choices=ContactChannel.choices)
    counterpart = forms.CharField(label="상대", max_length=200, required=False)
    summary = _text("내용", 3, required=True)

    FIELDS = ["contacted_on", "channel", "counterpart", "summary"]

    @classmethod
    def initial_for(cls, contact: InstitutionContact) -> dict[str, Any]:
        return initial_from(contact, cls.FIELDS)


# --- trends and documents ---------------------------------------------------------------------------------


class TrendForm(forms.Form):
    recorded_on = _date("일자", required=True)
    title = forms.CharField(label="제목", max_length=300)
    source = forms.CharField(label="출처", max_length=200, required=False)
    url = forms.URLField(label="링크", required=False, assume_scheme="https")
    tags = forms.CharField(
        label="태그", max_length=300, required=False, help_text="쉼표로 구분(예: 공공기관 이전, 충남도)"
    )
    initiatives = forms.ModelMultipleChoiceField(label="관련 사업", queryset=Initiative.objects.none(), required=False)
    body = _text("내용", 4)

    FIELDS = ["recorded_on", "title", "source", "url", "tags", "initiatives", "body"]

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["initiatives"].queryset = choices  # type: ignore[attr-defined]


class TrendFilterForm(forms.Form):
    q = forms.CharField(label="검색", required=False, max_length=100)
    tag = forms.ChoiceField(label="태그", required=False)
    initiative = forms.TypedChoiceField(label="관련 사업", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, tags: list[str], initiatives: list[Initiative], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["tag"]).choices = [("", "전체"), *[(t, t) for t in tags]]
        cast(forms.ChoiceField, self.fields["initiative"]).choices = [
            ("", "전체"),
            *[(i.pk, i.name) for i in initiatives],
        ]


class DocumentForm(forms.Form):
    upload = _file("파일", required=True)
    title = forms.CharField(label="제목", max_length=200, required=False, help_text="비우면 파일 이름")
    kind = forms.ChoiceField(label="종류", choices=DocumentKind.choices, initial=DocumentKind.EVIDENCE)
    milestone = forms.ModelChoiceField(label="추진 단계", queryset=Milestone.objects.none(), required=False)
    partner = forms.ModelChoiceField(label="협력 기관", queryset=Partner.objects.none(), required=False)
    criterion = forms.ModelChoiceField(label="심사 대비 항목", queryset=ReviewCriterion.objects.none(), required=False)
    event = forms.ModelChoiceField(label="행사", queryset=Event.objects.none(), required=False)
    institution = forms.ModelChoiceField(
        label="유치 대상 기관", queryset=InstitutionTarget.objects.none(), required=False
    )

    def __init__(self, *args: Any, initiative: Initiative, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = initiative.milestones.order_by("order")  # type: ignore[attr-defined]
        self.fields["partner"].queryset = initiative.partners.order_by("order", "id")  # type: ignore[attr-defined]
        self.fields["criterion"].queryset = initiative.criteria.order_by("review", "order")  # type: ignore[attr-defined]
        self.fields["event"].queryset = initiative.events.order_by("starts_on")  # type: ignore[attr-defined]
        self.fields["institution"].queryset = initiative.institutions.order_by("order")  # type: ignore[attr-defined]
        if not initiative.is_attraction and not initiative.institutions.exists():
            del self.fields["institution"]


def month_param(value: str | None) -> tuple[int, int] | None:
    """ "2024-03" → (2024, 3); None for anything else."""
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(f"{value}-01")
    except ValueError:
        return None
    return (day.year, day.month) if 2000 <= day.year <= 2100 else None

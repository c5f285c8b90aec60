"""Strategic initiatives (전략사업): one model for public-institution attraction, the 2027 strawberry
expo and whatever multi-year campaign comes next.

An initiative has an approval pipeline (milestones), the criteria of the reviews that decide
it (review readiness), partners with their agreement state, targets, budget lines by source
and year, events and PR, institution targets (attraction), a dated trend log and evidence
documents.  Money is whole won (shown in 백만원); dates are local dates (Asia/Seoul).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from hwallyu.org.models import Department, Team

# --- the initiative -------------------------------------------------------------------


class InitiativeKind(models.TextChoices):
    ATTRACTION = "attraction", "공공기관 유치"
    EVENT = "event", "국제행사·박람회"
    GENERAL = "general", "전략사업"


class InitiativeStatus(models.TextChoices):
    PREPARING = "preparing", "준비"
    ACTIVE = "active", "추진중"
    ON_HOLD = "on_hold", "보류"
    COMPLETED = "completed", "완료"
    STOPPED = "stopped", "중단"


OPEN_STATUSES = (InitiativeStatus.PREPARING, InitiativeStatus.ACTIVE)


class Initiative(models.Model):
    name = models.CharField("사업명", max_length=200, unique=True)
    kind = models.CharField("구분", max_length=20, choices=InitiativeKind.choices, default=InitiativeKind.GENERAL)
    team = models.ForeignKey(Team, verbose_name="담당 팀", on_delete=models.PROTECT, related_name="+")
    departments = models.ManyToManyField(Department, verbose_name="협업 부서", blank=True, related_name="+")
    starts_on = models.DateField("시작일")
    ends_on = models.DateField("종료일")
    aims = models.TextField("추진 목표", blank=True, help_text="한 줄에 하나씩")
    summary = models.TextField("개요", blank=True)
    status = models.CharField("상태", max_length=20, choices=InitiativeStatus.choices, default=InitiativeStatus.ACTIVE)
    budget_total = models.BigIntegerField("총사업비(원)", null=True, blank=True)
    reminder_days = models.CharField(
        "알림 시점(근무일 전)", max_length=40, default="10,1", help_text="예정일 며칠(근무일) 전에 알릴지, 쉼표로 구분"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_on", "name"]
        verbose_name = "전략사업"
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="initiative_period_order"),
            models.CheckConstraint(
                condition=Q(budget_total__gte=0) | Q(budget_total__isnull=True), name="initiative_budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def aim_lines(self) -> list[str]:
        return [line.strip().lstrip("❖").strip() for line in self.aims.splitlines() if line.strip()]

    def reminder_offsets(self) -> list[int]:
        """Working days before a planned date when reminders go out (e.g. [10, 1])."""
        offsets = []
        for part in self.reminder_days.split(","):
            part = part.strip()
            if part.isdigit():
                offsets.append(int(part))
        return sorted(set(offsets), reverse=True)

    @property
    def is_attraction(self) -> bool:
        return self.kind == InitiativeKind.ATTRACTION


# --- milestones (approval pipeline) -------------------------------------------------------


class MilestoneState(models.TextChoices):
    PLANNED = "planned", "예정"
    IN_PROGRESS = "in_progress", "진행중"
    ON_HOLD = "on_hold", "보류"
    DONE = "done", "완료"


class DatePrecision(models.TextChoices):
    DAY = "day", "일"
    MONTH = "month", "월"


class Milestone(models.Model):
    """One stage of the pipeline.  A month-precise planned date is stored as the month's last day."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField("순서")
    name = models.CharField("단계", max_length=200)
    deciding_body = models.CharField("결정 기관", max_length=100, blank=True)
    planned_on = models.DateField("계획일", null=True, blank=True)
    planned_precision = models.CharField(
        "계획일 단위", max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    actual_on = models.DateField("실제 일자", null=True, blank=True)
    state = models.CharField("상태", max_length=20, choices=MilestoneState.choices, default=MilestoneState.PLANNED)
    note = models.TextField("비고", blank=True, help_text="앞 단계보다 실제 일자가 이르면 사유를 적어야 합니다.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["initiative", "order", "id"]
        verbose_name = "추진 단계"
        constraints = [
            models.UniqueConstraint(fields=["initiative", "order"], name="milestone_order_unique"),
            models.CheckConstraint(
                condition=(Q(state="done") & Q(actual_on__isnull=False))
                | (~Q(state="done") & Q(actual_on__isnull=True)),
                name="milestone_done_has_actual_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    def late_state(self, today: dt.date) -> str:
        """ "" (on time or no date), "late" (open past its planned date) or "late_done" (done after it)."""
        if self.planned_on is None:
            return ""
        if self.state == MilestoneState.DONE:
            return "late_done" if self.actual_on and self.actual_on > self.planned_on else ""
        return "late" if self.planned_on < today else ""

    def planned_label(self) -> str:
        return date_label(self.planned_on, self.planned_precision)


def date_label(day: dt.date | None, precision: str = DatePrecision.DAY) -> str:
    if day is None:
        return "미정"
    if precision == DatePrecision.MONTH:
        return f"{day.year}. {day.month}."
    return f"{day:%Y-%m-%d}"


# --- review readiness -------------------------------------------------------------------------


class Readiness(models.TextChoices):
    NOT_STARTED = "not_started", "미착수"
    IN_PROGRESS = "in_progress", "준비중"
    NEEDS_WORK = "needs_work", "보완 필요"
    READY = "ready", "준비 완료"


class ReviewCriterion(models.Model):
    """One criterion of an approving review (e.g. 기획재정부 국제행사 심사: 경제성(B/C))."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="criteria")
    review = models.CharField("심사·평가", max_length=100)
    order = models.PositiveSmallIntegerField("순서", default=0)
    name = models.CharField("평가 항목", max_length=200)
    description = models.TextField("내용", blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="담당자",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField("준비 상태", max_length=20, choices=Readiness.choices, default=Readiness.NOT_STARTED)
    evidence = models.TextField("근거·증빙", blank=True)
    due_on = models.DateField("준비 기한", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["initiative", "review", "order", "id"]
        verbose_name = "심사 대비 항목"
        constraints = [
            models.UniqueConstraint(fields=["initiative", "review", "name"], name="criterion_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.review} · {self.name}"


# --- partners and agreements ----------------------------------------------------------------


class PartnerKind(models.TextChoices):
    MINISTRY = "ministry", "중앙부처"
    PROVINCE = "province", "광역자치단체"
    COMPANY = "company", "기업"
    UNIVERSITY = "university", "대학"
    TOURISM = "tourism", "관광기관"
    ACADEMIC = "academic", "학회"
    RESEARCH = "research", "연구기관"
    OTHER = "other", "기타"


class AgreementState(models.TextChoices):
    NEGOTIATING = "negotiating", "협의중"
    LOI = "loi", "참여의향서"
    MOU = "mou", "업무협약"
    DONE = "done", "완료"
    STOPPED = "stopped", "중단"


SIGNED_STATES = (AgreementState.LOI, AgreementState.MOU, AgreementState.DONE)


class Partner(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField("기관명", max_length=200)
    kind = models.CharField("구분", max_length=20, choices=PartnerKind.choices)
    role = models.TextField("협력 내용", blank=True)
    state = models.CharField(
        "협약 상태", max_length=20, choices=AgreementState.choices, default=AgreementState.NEGOTIATING
    )
    state_on = models.DateField("상태 변경일", null=True, blank=True)
    note = models.TextField("비고", blank=True)
    order = models.PositiveSmallIntegerField("순서", default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["initiative", "order", "id"]
        verbose_name = "협력 기관"
        constraints = [models.UniqueConstraint(fields=["initiative", "name"], name="partner_name_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_signed(self) -> bool:
        return self.state in SIGNED_STATES


class PartnerContact(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField("이름", max_length=100)
    position = models.CharField("소속·직위", max_length=100, blank=True)
    phone = models.CharField("전화", max_length=40, blank=True)
    email = models.EmailField("전자우편", blank=True)
    note = models.CharField("비고", max_length=200, blank=True)

    class Meta:
        ordering = ["partner", "id"]
        verbose_name = "담당자 연락처"

    def __str__(self) -> str:
        return f"{self.partner} {self.name}"


class PartnerMeeting(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField("일자")
    place = models.CharField("장소", max_length=200, blank=True)
    attendees = models.CharField("참석자", max_length=300, blank=True)
    summary = models.TextField("협의 내용")
    follow_up = models.TextField("후속 조치", blank=True)

    class Meta:
        ordering = ["partner", "-held_on", "-id"]
        verbose_name = "협의 기록"

    def __str__(self) -> str:
        return f"{self.partner} {self.held_on:%Y-%m-%d}"


# --- targets and budget ------------------------------------------------------------------------


class Target(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="targets")
    order = models.PositiveSmallIntegerField("순서", default=0)
    name = models.CharField("목표", max_length=200)
    value = models.DecimalField("목표값", max_digits=16, decimal_places=2)
    unit = models.CharField("단위", max_length=20)
    actual = models.DecimalField("현재 실적", max_digits=16, decimal_places=2, null=True, blank=True)
    actual_on = models.DateField("실적 기준일", null=True, blank=True)
    note = models.CharField("비고", max_length=200, blank=True)

    class Meta:
        ordering = ["initiative", "order", "id"]
        verbose_name = "목표"
        constraints = [
            models.UniqueConstraint(fields=["initiative", "name"], name="target_name_unique"),
            models.CheckConstraint(condition=Q(value__gt=0), name="target_value_positive"),
            models.CheckConstraint(condition=Q(actual__gte=0) | Q(actual__isnull=True), name="target_actual_range"),
        ]

    def __str__(self) -> str:
        return self.name

    def achievement(self) -> Decimal | None:
        if self.actual is None or not self.value:
            return None
        return (self.actual * 100 / self.value).quantize(Decimal("0.1"))


BUDGET_SOURCES = ("national", "provincial", "city", "other")


class BudgetLine(models.Model):
    """A budget line of one year: 계 = 국비 + 도비 + 시비 + 기타(수익); whole won."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField("연도")
    name = models.CharField("항목", max_length=200)
    total = models.BigIntegerField("계")
    national = models.BigIntegerField("국비", default=0)
    provincial = models.BigIntegerField("도비", default=0)
    city = models.BigIntegerField("시비", default=0)
    other = models.BigIntegerField("기타(수익)", default=0)
    in_total = models.BooleanField("총사업비에 포함", default=True)
    workplan_line_id = models.PositiveIntegerField("업무계획 사업비 조서 행", null=True, blank=True)
    note = models.CharField("비고", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("순서", default=0)

    class Meta:
        ordering = ["initiative", "year", "order", "id"]
        verbose_name = "예산"
        constraints = [
            models.CheckConstraint(
                condition=Q(total=F("national") + F("provincial") + F("city") + F("other")),
                name="budget_line_sources_add_up",
            ),
            models.CheckConstraint(
                condition=Q(national__gte=0) & Q(provincial__gte=0) & Q(city__gte=0) & Q(other__gte=0),
                name="budget_line_sources_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"

    def sources_sum(self) -> int:
        return sum(getattr(self, name) for name in BUDGET_SOURCES)


# --- events and PR ---------------------------------------------------------------------------


class EventKind(models.TextChoices):
    BRIEFING = "briefing", "설명회"
    PERFORMANCE = "performance", "퍼포먼스"
    SEMINAR = "seminar", "세미나"
    FORUM = "forum", "학술대회·포럼"
    BOOTH = "booth", "홍보부스"
    SPORTS = "sports", "스포츠 마케팅"
    SNS = "sns", "SNS 챌린지"
    AD = "ad", "광고"
    MEDIA = "media", "언론·방송"
    OTHER = "other", "기타"


class EventState(models.TextChoices):
    PLANNED = "planned", "예정"
    DONE = "done", "완료"
    CANCELLED = "cancelled", "취소"


class Event(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="events")
    title = models.CharField("행사명", max_length=200)
    kind = models.CharField("구분", max_length=20, choices=EventKind.choices)
    starts_on = models.DateField("일자(시작)")
    ends_on = models.DateField("종료일", null=True, blank=True)
    tentative = models.BooleanField("일정 미확정", default=False)
    place = models.CharField("장소", max_length=200, blank=True)
    audience = models.CharField("대상", max_length=200, blank=True)
    outcome = models.TextField("결과", blank=True)
    state = models.CharField("상태", max_length=20, choices=EventState.choices, default=EventState.PLANNED)
    note = models.CharField("비고", max_length=300, blank=True)

    class Meta:
        ordering = ["initiative", "starts_on", "id"]
        verbose_name = "행사·홍보"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="event_period_order"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def last_day(self) -> dt.date:
        return self.ends_on or self.starts_on

    def period_label(self) -> str:
        text = f"{self.starts_on:%Y-%m-%d}"
        if self.ends_on and self.ends_on != self.starts_on:
            text += f" ~ {self.ends_on:%Y-%m-%d}"
        return text + (" (미확정)" if self.tentative else "")


# --- institution targets (attraction) ----------------------------------------------------------


class InstitutionType(models.TextChoices):
    NEW = "new", "신설"
    RELOCATION = "relocation", "이전"


class InstitutionState(models.TextChoices):
    INTEREST = "interest", "관심"
    CONTACT = "contact", "접촉"
    PROPOSAL = "proposal", "건의"
    WON = "won", "유치확정"
    LOST = "lost", "무산"


class InstitutionTarget(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="institutions")
    name = models.CharField("기관명", max_length=200)
    type = models.CharField("유형", max_length=20, choices=InstitutionType.choices)
    parent = models.CharField("소관 부처", max_length=100, blank=True)
    state = models.CharField(
        "유치 상태", max_length=20, choices=InstitutionState.choices, default=InstitutionState.INTEREST
    )
    state_on = models.DateField("상태 변경일", null=True, blank=True)
    decided_year = models.PositiveSmallIntegerField("확정 연도", null=True, blank=True)
    note = models.TextField("비고", blank=True)
    order = models.PositiveSmallIntegerField("순서", default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["initiative", "order", "id"]
        verbose_name = "유치 대상 기관"
        constraints = [models.UniqueConstraint(fields=["initiative", "name"], name="institution_name_unique")]

    def __str__(self) -> str:
        return self.name


class ContactChannel(models.TextChoices):
    VISIT = "visit", "방문"
    MEETING = "meeting", "회의"
    CALL = "call", "전화"
    LETTER = "letter", "공문·건의"
    OTHER = "other", "기타"


class InstitutionContact(models.Model):
    institution = models.ForeignKey(InstitutionTarget, on_delete=models.CASCADE, related_name="contacts")
    contacted_on = models.DateField("일자")
    channel = models.CharField("방법", max_length=20, choices=ContactChannel.choices, default=ContactChannel.VISIT)
    counterpart = models.CharField("상대", max_length=200, blank=True)
    summary = models.TextField("내용")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["institution", "-contacted_on", "-id"]
        verbose_name = "접촉 기록"

    def __str__(self) -> str:
        return f"{self.institution} {self.contacted_on:%Y-%m-%d}"


# --- trend log --------------------------------------------------------------------------------


class TrendEntry(models.Model):
    """A dated piece of news or policy change, tagged, concerning one or more initiatives."""

    recorded_on = models.DateField("일자")
    title = models.CharField("제목", max_length=300)
    body = models.TextField("내용", blank=True)
    source = models.CharField("출처", max_length=200, blank=True)
    url = models.URLField("링크", blank=True)
    tags = models.CharField("태그", max_length=300, blank=True)  # stored as "|태그1|태그2|"
    initiatives = models.ManyToManyField(Initiative, verbose_name="관련 사업", blank=True, related_name="trends")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_on", "-id"]
        verbose_name = "동향"
        indexes = [models.Index(fields=["-recorded_on", "-id"], name="initiatives_trend_recent")]

    def __str__(self) -> str:
        return f"{self.recorded_on:%Y-%m-%d} {self.title}"

    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split("|") if t]


# --- evidence documents -----------------------------------------------------------------------


class DocumentKind(models.TextChoices):
    PLAN = "plan", "계획서"
    LOI = "loi", "참여의향서"
    MOU = "mou", "업무협약서"
    OFFICIAL = "official", "공문"
    MINUTES = "minutes", "회의자료"
    PRESS = "press", "보도·홍보자료"
    EVIDENCE = "evidence", "증빙자료"
    OTHER = "other", "기타"


# Which signed documents prove which agreement state.
AGREEMENT_EVIDENCE: dict[str, tuple[str, ...]] = {
    AgreementState.LOI: (DocumentKind.LOI, DocumentKind.MOU),
    AgreementState.MOU: (DocumentKind.MOU,),
    AgreementState.DONE: (DocumentKind.LOI, DocumentKind.MOU, DocumentKind.OFFICIAL),
}


def document_path(instance: Document, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"initiatives/{instance.initiative_id}/{uuid.uuid4().hex}{suffix}"


class Document(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField("제목", max_length=200)
    kind = models.CharField("종류", max_length=20, choices=DocumentKind.choices, default=DocumentKind.EVIDENCE)
    file = models.FileField("파일", upload_to=document_path, max_length=300)
    filename = models.CharField("파일 이름", max_length=200)
    size = models.PositiveIntegerField("크기")
    content_type = models.CharField("형식", max_length=100, blank=True)
    milestone = models.ForeignKey(
        Milestone, verbose_name="추진 단계", null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    partner = models.ForeignKey(
        Partner, verbose_name="협력 기관", null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    criterion = models.ForeignKey(
        ReviewCriterion,
        verbose_name="심사 대비 항목",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    event = models.ForeignKey(
        Event, verbose_name="행사", null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    institution = models.ForeignKey(
        InstitutionTarget,
        verbose_name="유치 대상 기관",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["initiative", "-uploaded_at", "-id"]
        verbose_name = "문서"
        constraints = [models.CheckConstraint(condition=Q(size__gt=0), name="document_not_empty")]

    def __str__(self) -> str:
        return self.title

    def attached_to(self) -> list[tuple[str, Any]]:
        """(label, object) of what the document is evidence for."""
        pairs = [
            ("추진 단계", self.milestone),
            ("협력 기관", self.partner),
            ("심사 대비", self.criterion),
            ("행사", self.event),
            ("유치 대상", self.institution),
        ]
        return [(label, obj) for label, obj in pairs if obj is not None]

"""The satisfaction survey (행정만족도 조사): rounds, register imports, invitations, answers, incentives.

Anonymity is built into the tables:

* ``Answer`` keeps the department, petition type, source, channel and *month* only.  Its primary
  key is a random UUID and answers reach the table through ``AnswerBuffer`` in shuffled batches
  (see ``services.answers_flush``), so neither key order nor storage order follows answer order and
  nothing can be joined to the send log.  ``AnswerItem`` rows are written in the same shuffled order.
* ``Invitation`` learns only the boolean ``answered``; phone numbers of entries and invitations are
  erased when the round closes (the keyed hashes stay for deduplication).
* ``IncentiveEntry`` (a contact for a reward) has no link to any answer or invitation.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class QuestionKind(models.TextChoices):
    SCALE5 = "scale5", "5점 척도"
    YESNO = "yesno", "예/아니요"
    TEXT = "text", "서술형"


class QuestionBase(models.Model):
    code = models.SlugField("문항 코드", max_length=30)
    label = models.CharField("문항", max_length=200)
    kind = models.CharField("유형", max_length=10, choices=QuestionKind.choices, default=QuestionKind.SCALE5)
    order = models.PositiveSmallIntegerField("순서", default=0)
    required = models.BooleanField("필수", default=True)
    is_bribe = models.BooleanField(
        "금품·향응 요구 문항",
        default=False,
        help_text="'예' 응답을 금품·향응 요구 경험으로 집계하고 감사팀에 알립니다.",
    )

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label


class SurveyTemplate(models.Model):
    name = models.CharField("템플릿 이름", max_length=100, unique=True)
    is_default = models.BooleanField("기본 템플릿", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "name"]
        verbose_name = "설문 템플릿"
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_survey_template"
            )
        ]

    def __str__(self) -> str:
        return self.name


class TemplateQuestion(QuestionBase):
    template = models.ForeignKey(SurveyTemplate, on_delete=models.CASCADE, related_name="questions")

    class Meta(QuestionBase.Meta):
        verbose_name = "템플릿 문항"
        constraints = [models.UniqueConstraint(fields=["template", "code"], name="template_question_code_unique")]


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", "준비"
    OPEN = "open", "진행"
    CLOSED = "closed", "종료"


class DeliveryChannel(models.TextChoices):
    ALIMTALK = "alimtalk", "알림톡(실패 시 문자 대체발송)"
    SMS = "sms", "문자(SMS/LMS)만"


class IncentiveRule(models.TextChoices):
    DRAW = "draw", "추첨"
    FIRST_N = "first_n", "선착순"


class Survey(models.Model):
    """A survey round (연간 또는 분기) and its rules, all editable by the audit/planning team."""

    year = models.PositiveSmallIntegerField("연도")
    quarter = models.PositiveSmallIntegerField("분기", null=True, blank=True, help_text="비우면 연간 조사입니다.")
    title = models.CharField("조사명", max_length=200)
    status = models.CharField("상태", max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    template = models.ForeignKey(
        SurveyTemplate, verbose_name="문항 템플릿", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # who is surveyed
    include_petitions = models.BooleanField("민원인(민원사무처리부)", default=True)
    include_contracts = models.BooleanField("계약자", default=True)
    include_subsidies = models.BooleanField("보조사업자", default=True)
    min_legal_days = models.PositiveSmallIntegerField(
        "최소 법정처리기간(일)", null=True, blank=True, help_text="비우면 처리기간과 관계없이 대상입니다."
    )
    dedupe_days = models.PositiveSmallIntegerField(
        "재발송 제한(일)",
        default=90,
        help_text="이 기간 안에 다른 조사로 안내받은 번호는 제외합니다(0이면 확인하지 않음).",
    )
    sample_per_department = models.PositiveIntegerField(
        "부서별 표본 수", null=True, blank=True, help_text="비우면 대상 전원에게 보냅니다."
    )
    # how and when
    channel = models.CharField(
        "발송 채널", max_length=10, choices=DeliveryChannel.choices, default=DeliveryChannel.ALIMTALK
    )
    template_code = models.CharField("알림톡 템플릿 코드", max_length=50, default="HWALLYU_SURVEY_01")
    reminder_template_code = models.CharField("재안내 템플릿 코드", max_length=50, default="HWALLYU_SURVEY_02")
    send_start = models.TimeField("발송 시작 시각", default=dt.time(9, 0))
    send_end = models.TimeField("발송 종료 시각", default=dt.time(20, 0))
    working_days_only = models.BooleanField("업무일에만 발송", default=True)
    reminder_after_days = models.PositiveSmallIntegerField(
        "재안내(일 후)", default=3, help_text="0이면 재안내하지 않습니다."
    )
    link_expiry_days = models.PositiveSmallIntegerField("응답 기한(일)", default=14)
    min_group_size = models.PositiveSmallIntegerField("최소 공개 응답 수", default=5)
    # incentives
    incentive_enabled = models.BooleanField("응답자 인센티브", default=True)
    incentive_budget = models.BigIntegerField("인센티브 예산(원)", default=7_000_000)
    incentive_amount = models.BigIntegerField("1인 지급액(원)", default=10_000)
    incentive_rule = models.CharField(
        "선정 방식", max_length=10, choices=IncentiveRule.choices, default=IncentiveRule.DRAW
    )
    incentive_winners = models.PositiveIntegerField("선정 인원", default=100)
    # lifecycle
    opened_at = models.DateTimeField("시작", null=True, blank=True)
    closed_at = models.DateTimeField("종료", null=True, blank=True)
    # Counts frozen when the round closes (its invitations and register no longer change), so
    # lists and pages of past rounds need not count a million rows: see ``services.closing_totals``.
    closing_totals = models.JSONField("종료 시 집계", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "-quarter", "-id"]
        verbose_name = "행정만족도 조사"
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4), name="survey_quarter_range"
            ),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="survey_year_range"),
            models.CheckConstraint(condition=Q(send_start__lt=models.F("send_end")), name="survey_send_window_order"),
            models.CheckConstraint(condition=Q(min_group_size__gte=1), name="survey_min_group_size_positive"),
            models.CheckConstraint(condition=Q(link_expiry_days__gte=1), name="survey_link_expiry_positive"),
            models.CheckConstraint(
                condition=Q(incentive_budget__gte=0, incentive_amount__gte=0), name="survey_incentive_money_positive"
            ),
            models.UniqueConstraint(fields=["year", "quarter"], name="survey_round_unique"),
            models.UniqueConstraint(
                fields=["year"], condition=Q(quarter__isnull=True), name="survey_annual_round_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period_label(self) -> str:
        return f"{self.year}년 {self.quarter}분기" if self.quarter else f"{self.year}년"

    def period(self) -> tuple[dt.date, dt.date]:
        """First and last day of the round's period (processed cases in it are eligible)."""
        if self.quarter:
            start = dt.date(self.year, 3 * self.quarter - 2, 1)
            end_month = 3 * self.quarter
            end = (dt.date(self.year + (end_month == 12), end_month % 12 + 1, 1)) - dt.timedelta(days=1)
            return start, end
        return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)

    def window_spec(self) -> str:
        return f"{self.send_start:%H:%M}-{self.send_end:%H:%M}{'/W' if self.working_days_only else ''}"

    def sources(self) -> list[str]:
        out: list[str] = []
        if self.include_petitions:
            out.append(RegisterSource.PETITION)
        if self.include_contracts:
            out.append(RegisterSource.CONTRACT)
        if self.include_subsidies:
            out.append(RegisterSource.SUBSIDY)
        return out

    @property
    def outbox_prefix(self) -> str:
        return f"survey:{self.pk}:"


class Question(QuestionBase):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")

    class Meta(QuestionBase.Meta):
        verbose_name = "문항"
        constraints = [models.UniqueConstraint(fields=["survey", "code"], name="survey_question_code_unique")]


class RegisterSource(models.TextChoices):
    PETITION = "petition", "민원사무처리부"
    CONTRACT = "contract", "계약자 명부"
    SUBSIDY = "subsidy", "보조사업자 명부"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "대기"
    RUNNING = "running", "처리 중"
    DONE = "done", "완료"
    FAILED = "failed", "실패"


class RegisterImport(models.Model):
    """One uploaded register file and the progress of its import."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="imports")
    source = models.CharField("명부 종류", max_length=10, choices=RegisterSource.choices)
    file = models.FileField(upload_to="survey_imports/%Y/%m/")
    filename = models.CharField("파일명", max_length=255)
    size = models.BigIntegerField("크기", default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    encoding = models.CharField("인코딩", max_length=20, blank=True)
    status = models.CharField("상태", max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    bytes_read = models.BigIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)  # known for XLSX
    last_row = models.PositiveIntegerField("마지막 처리 행", default=0)
    rows_read = models.PositiveIntegerField("읽은 행", default=0)
    rows_added = models.PositiveIntegerField("추가된 행", default=0)
    rows_duplicate = models.PositiveIntegerField("중복으로 건너뛴 행", default=0)
    error_count = models.PositiveIntegerField("오류 행", default=0)
    errors = models.JSONField("오류", default=list, blank=True)
    message = models.CharField("결과", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("등록", auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "명부 가져오기"

    def __str__(self) -> str:
        return self.filename

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if self.rows_total:
            return min(99, int(self.rows_read * 100 / self.rows_total))
        if self.size:
            return min(99, int(self.bytes_read * 100 / self.size))
        return 0

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)


class RegisterStaging(models.Model):
    """One committed batch of checked rows of a file being imported, as a JSON list.

    A whole batch is one row, so staging costs next to nothing per register row; the rows reach
    ``RegisterEntry`` only when the whole file is valid (``importer._promote``).  No index but the
    key: the table holds only files in progress and is read once, in batch order.
    """

    register_import = models.ForeignKey(RegisterImport, on_delete=models.CASCADE, related_name="+", db_index=False)
    batch_no = models.PositiveIntegerField()
    first_row = models.PositiveIntegerField()
    rows = models.TextField()

    def __str__(self) -> str:
        return f"{self.register_import_id}:{self.batch_no}"


class RegisterEntry(models.Model):
    """A processed case (petition, contract or subsidy) whose applicant may be invited."""

    # Only the unique (survey, source, receipt) index: every extra index slows the bulk import.
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="entries", db_index=False)
    source = models.CharField("명부", max_length=10, choices=RegisterSource.choices)
    receipt_no = models.CharField("접수번호", max_length=50)
    received_at = models.DateTimeField("접수일시", null=True, blank=True)
    processed_at = models.DateTimeField("처리일시", null=True, blank=True)
    petition_type = models.CharField("민원 종류", max_length=200)
    department = models.ForeignKey(
        "org.Department", verbose_name="처리부서", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    applicant = models.CharField("민원인", max_length=100, blank=True)
    phone = models.CharField("휴대전화", max_length=13, blank=True)
    phone_hash = models.CharField(max_length=64, blank=True)
    legal_days = models.PositiveSmallIntegerField("법정처리기간(일)", null=True, blank=True)
    # Which upload added the row (provenance; no query filters on it). No database constraint: the import's row
    # takes a progress update after every batch while the rows are added in one long transaction, so each
    # row's deferred key check at the commit walked every version of it that transaction kept alive — a third
    # of a 1,000,000-row import on PostgreSQL (26 s → 18 s without it). Imports are deleted only with their
    # round, through the ORM, which still applies SET_NULL.
    register_import = models.ForeignKey(
        RegisterImport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        ordering = ["id"]
        verbose_name = "명부 행"
        constraints = [
            models.UniqueConstraint(fields=["survey", "source", "receipt_no"], name="register_receipt_unique")
        ]

    def __str__(self) -> str:
        return self.receipt_no


class InvitationStatus(models.TextChoices):
    PREPARED = "prepared", "준비"
    QUEUED = "queued", "발송 요청"
    CANCELLED = "cancelled", "취소"


class Invitation(models.Model):
    """One person asked to answer; the token in the link ``/s/<token>`` is the only key to it."""

    # No index of its own: ``invitation_one_per_phone`` and ``invitation_progress_idx`` both start with it. Every
    # answer rewrites the invitation's row and each of its indexes, so the table keeps only the indexes it reads.
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations", db_index=False)
    entry = models.OneToOneField(
        RegisterEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitation"
    )
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    petition_type = models.CharField(max_length=200)
    source = models.CharField(max_length=10, choices=RegisterSource.choices)
    phone = models.CharField(max_length=13, blank=True)
    phone_hash = models.CharField(max_length=64)
    token = models.CharField(max_length=64)  # unique: ``invitation_token_unique`` (no LIKE index beside it)
    message = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PREPARED)
    answered = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "설문 안내"
        constraints = [
            models.UniqueConstraint(fields=["survey", "phone_hash"], name="invitation_one_per_phone"),
            # A constraint rather than ``unique=True``: on PostgreSQL that also builds a second (LIKE) index on
            # the token, which no query uses and every answer would pay for.
            models.UniqueConstraint(fields=["token"], name="invitation_token_unique"),
        ]
        indexes = [
            models.Index(fields=["phone_hash", "created_at"], name="invitation_phone_recent_idx"),
            # Covers the progress counts by status and reminder and the reminder sweep's filter. ``answered`` is
            # deliberately in no index: the answer sets only that column, so on PostgreSQL the row is rewritten
            # in place on its page (a HOT update, the table keeps free room for it: migration 0005) and none of
            # the indexes is touched; the answered count reads the round's rows instead.
            models.Index(fields=["survey", "status", "reminded_at"], name="invitation_progress_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.pk}"

    @property
    def outbox_key(self) -> str:
        return f"survey:{self.survey_id}:invite:{self.pk}"

    @property
    def reminder_key(self) -> str:
        return f"survey:{self.survey_id}:remind:{self.pk}"


class OptOut(models.Model):
    """A number that asked not to be surveyed again (kept only as a keyed hash)."""

    phone_hash = models.CharField(max_length=64, unique=True)
    via = models.CharField("경로", max_length=20, default="citizen")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "수신 거부"

    def __str__(self) -> str:
        return self.phone_hash[:12]


class AnswerBuffer(models.Model):
    """Answers waiting to be written to ``Answer`` in a shuffled batch (no time, no link)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    payload = models.JSONField()

    def __str__(self) -> str:
        return str(self.id)


class Answer(models.Model):
    """One anonymous answer: department, petition type, source, channel and month — nothing else."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    petition_type = models.CharField("민원 종류", max_length=200, blank=True)
    source = models.CharField("명부", max_length=10, choices=RegisterSource.choices, blank=True)
    channel = models.CharField("안내 경로", max_length=10, blank=True)
    month = models.DateField("응답 월")

    class Meta:
        verbose_name = "응답"
        constraints = [models.CheckConstraint(condition=Q(month__day=1), name="answer_month_first_day")]
        indexes = [models.Index(fields=["survey", "department"], name="answer_survey_department_idx")]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.month:%Y-%m}"


class AnswerItem(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "question"], name="answer_item_unique"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0, value__lte=5), name="answer_item_value_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}={self.value}"


class ResultCell(models.Model):
    """Running totals of a round's stored answers for one value of one grouping (``tallies``).

    ``question`` empty: ``n`` answers.  Otherwise ``n`` items of that question with a value (or a
    text) and ``total`` the sum of their values.  Updated in the same transaction that stores a
    shuffled batch of answers, so the results pages read a few hundred rows instead of scanning
    the answer tables; groupings are kept one at a time (never crossed), so the cells hold
    nothing the results page does not already show.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+", db_index=False)
    by = models.CharField(max_length=20)  # "all" or a key of selectors.GROUPINGS
    key = models.CharField(max_length=200, blank=True)  # the group's value as text
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    n = models.PositiveIntegerField(default=0)
    total = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "응답 집계"
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "by", "key", "question"],
                condition=Q(question__isnull=False),
                name="result_cell_item_unique",
            ),
            models.UniqueConstraint(
                fields=["survey", "by", "key"], condition=Q(question__isnull=True), name="result_cell_count_unique"
            ),
        ]
        indexes = [models.Index(fields=["survey", "by"], name="result_cell_survey_by_idx")]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.by}:{self.key}:{self.question_id}={self.n}"


class KeywordCount(models.Model):
    """How many of a round's free-text answers use a noun (kept up to date with the answers)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+", db_index=False)
    word = models.CharField(max_length=100)
    n = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "자유 의견 낱말"
        constraints = [models.UniqueConstraint(fields=["survey", "word"], name="keyword_count_unique")]
        indexes = [models.Index(fields=["survey", "-n"], name="keyword_count_top_idx")]

    def __str__(self) -> str:
        return f"{self.word}={self.n}"


class IncentiveStatus(models.TextChoices):
    ENTERED = "entered", "응모"
    WON = "won", "선정"
    PAID = "paid", "지급"
    NOT_SELECTED = "not_selected", "미선정"


class IncentiveEntry(models.Model):
    """A respondent's opt-in to a reward: a contact kept apart from answers, deleted after payout."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="incentive_entries")
    code = models.CharField("응모 번호", max_length=12, unique=True)
    contact = models.CharField("연락처", max_length=13, blank=True)
    contact_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=15, choices=IncentiveStatus.choices, default=IncentiveStatus.ENTERED)

    class Meta:
        ordering = ["id"]
        verbose_name = "인센티브 응모"
        constraints = [
            models.UniqueConstraint(fields=["survey", "contact_hash"], name="incentive_one_entry_per_contact")
        ]

    def __str__(self) -> str:
        return self.code


class IncentivePayout(models.Model):
    """The payout log, checked against the round's budget."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="payouts")
    entry_code = models.CharField("응모 번호", max_length=12)
    amount = models.BigIntegerField("금액(원)")
    paid_at = models.DateTimeField("지급일시", auto_now_add=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField("비고", max_length=200, blank=True)

    class Meta:
        ordering = ["-paid_at", "-id"]
        verbose_name = "인센티브 지급"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="incentive_payout_positive"),
            models.UniqueConstraint(fields=["survey", "entry_code"], name="incentive_payout_once"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_code} {self.amount}"

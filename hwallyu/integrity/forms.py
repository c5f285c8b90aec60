"""Forms of the integrity module: the public channel's and the handlers'."""

from __future__ import annotations

import secrets
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core import signing
from django.http import HttpRequest

from hwallyu.integrity.models import (
    STEP_ORDER,
    ActionKind,
    Broadcast,
    CaseKind,
    Category,
    CitizenAuditor,
    IntegrityIndex,
    IntegrityScheme,
    Measure,
    MessageKind,
    Step,
)

# --- the public channel: no cookie, so no CSRF cookie -------------------------------------------
#
# The public forms are CSRF-exempt and protected instead by (1) a strict same-origin check of
# the Origin / Sec-Fetch-Site headers every browser sends with a POST, and (2) a form token:
# a signed timestamp (HMAC with SECRET_KEY) that ties the POST to a form this site rendered
# in the last hours.  Neither identifies the reporter.

_TOKEN_SALT = "hwallyu.integrity.public-form"
TOKEN_MAX_AGE = 6 * 3600
FORM_EXPIRED = "입력 화면이 오래되었습니다. 화면을 새로 연 뒤 다시 보내 주세요. (입력한 내용은 저장되지 않았습니다)"
CROSS_SITE = "다른 사이트에서 보낸 요청은 받을 수 없습니다."


def form_token() -> str:
    return signing.TimestampSigner(salt=_TOKEN_SALT).sign(secrets.token_urlsafe(6))


def form_token_valid(token: str | None) -> bool:
    if not token:
        return False
    try:
        signing.TimestampSigner(salt=_TOKEN_SALT).unsign(token, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return False
    return True


def same_origin(request: HttpRequest) -> bool:
    """False when the browser says the request came from another site.

    ``Sec-Fetch-Site`` is trusted first: browsers set it and pages cannot forge it.  An
    ``Origin`` of ``null`` (sent e.g. under a strict referrer policy) then passes only when the
    browser also says ``same-origin``; a real ``Origin`` must always be this site.
    """
    site = request.META.get("HTTP_SEC_FETCH_SITE")
    if site and site not in ("same-origin", "none"):
        return False
    origin = request.META.get("HTTP_ORIGIN")
    if not origin:
        return True
    if origin == "null":
        return site == "same-origin"
    own = f"{request.scheme}://{request.get_host()}"
    return origin == own or origin in getattr(settings, "CSRF_TRUSTED_ORIGINS", [])


class PublicForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not form_token_valid(data.get("token")):
            raise forms.ValidationError(FORM_EXPIRED)
        return data


class FilingForm(PublicForm):
    kind = forms.ChoiceField(label="구분", choices=CaseKind.choices, widget=forms.RadioSelect, initial=CaseKind.COUNSEL)
    category = forms.ChoiceField(label="유형", choices=[("", "선택하세요"), *Category.choices])
    title = forms.CharField(label="제목", max_length=200)
    body = forms.CharField(label="내용", max_length=20000, widget=forms.Textarea(attrs={"rows": 10}))
    strip_metadata = forms.BooleanField(
        label="사진의 촬영 정보(위치·기기·시각)를 지우고 올립니다", required=False, initial=True
    )


class ReceiptForm(PublicForm):
    receipt = forms.CharField(label="접수번호 16자리", max_length=40)


class ReplyForm(ReceiptForm):
    body = forms.CharField(label="답글", max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 5}))
    strip_metadata = forms.BooleanField(label="사진의 촬영 정보를 지우고 올립니다", required=False, initial=True)


class DiscloseForm(ReceiptForm):
    name = forms.CharField(label="이름과 연락처", max_length=100)


# --- handlers -----------------------------------------------------------------------------------


class PassphraseForm(forms.Form):
    passphrase = forms.CharField(
        label="암호문구", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class KeyCreateForm(forms.Form):
    passphrase = forms.CharField(
        label="새 암호문구", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    passphrase2 = forms.CharField(
        label="새 암호문구 확인", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("passphrase") and data.get("passphrase") != data.get("passphrase2"):
            raise forms.ValidationError("두 암호문구가 다릅니다.")
        return data


class PassphraseChangeForm(KeyCreateForm):
    old_passphrase = forms.CharField(
        label="현재 암호문구", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    field_order = ["old_passphrase", "passphrase", "passphrase2"]


class MessageForm(forms.Form):
    kind = forms.ChoiceField(
        label="종류",
        choices=[(MessageKind.ANSWER, "제보자에게 답변"), (MessageKind.NOTE, "내부 메모(제보자에게 보이지 않음)")],
        widget=forms.RadioSelect,
        initial=MessageKind.ANSWER,
    )
    body = forms.CharField(label="내용", max_length=20000, widget=forms.Textarea(attrs={"rows": 5}))


class AdvanceForm(forms.Form):
    to_step = forms.ChoiceField(label="다음 단계")
    result = forms.CharField(
        label="제보자에게 알릴 처리 결과 (종결할 때 필수)",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, current: str = Step.RECEIVED, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        later = STEP_ORDER[STEP_ORDER.index(current) + 1 :] if current in STEP_ORDER else []
        cast(forms.ChoiceField, self.fields["to_step"]).choices = [(s, Step(s).label) for s in later]


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label="담당자", required=False)

    def __init__(self, *args: Any, handlers: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["assignee"]).choices = [("", "배정 안 함")] + [
            (str(u.pk), u.get_full_name() or u.get_username()) for u in handlers
        ]


class ActionForm(forms.Form):
    action_kind = forms.ChoiceField(label="조치 구분", choices=[("", "선택하세요"), *ActionKind.choices])
    detail = forms.CharField(
        label="조치 내용(위반자·처분 등)", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )


class SchemeForm(forms.ModelForm):
    class Meta:
        model = IntegrityScheme
        fields = [
            "received_days",
            "review_days",
            "investigation_days",
            "action_days",
            "perceived_weight",
            "effort_weight",
            "external_share",
            "max_deduction",
            "cutoff_1",
            "cutoff_2",
            "cutoff_3",
            "cutoff_4",
            "retention_days",
        ]


class IndexForm(forms.ModelForm):
    class Meta:
        model = IntegrityIndex
        fields = [
            "perceived_external",
            "perceived_internal",
            "perceived",
            "effort",
            "deduction",
            "grade",
            "perceived_grade",
            "effort_grade",
            "note",
        ]
        widgets = {
            f: forms.NumberInput(attrs={"min": 1, "max": 5}) for f in ("grade", "perceived_grade", "effort_grade")
        }


class PlanForm(forms.Form):
    survey_url = forms.CharField(label="행정만족도 조사 링크", required=False, max_length=300)
    note = forms.CharField(label="비고", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = ["kind", "title", "owner", "starts_on", "ends_on", "status", "record"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "record": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners  # type: ignore[attr-defined]


class BroadcastForm(forms.ModelForm):
    class Meta:
        model = Broadcast
        fields = ["on_date", "speaker_title", "speaker_name", "topic", "done", "record"]
        widgets = {"on_date": forms.DateInput(attrs={"type": "date"})}


class RelayForm(forms.Form):
    start = forms.DateField(label="첫 방송 주", widget=forms.DateInput(attrs={"type": "date"}))
    weekday = forms.ChoiceField(
        label="방송 요일",
        choices=[(0, "월요일"), (1, "화요일"), (2, "수요일"), (3, "목요일"), (4, "금요일")],
        initial=0,
    )
    speakers = forms.CharField(
        label="출연 순서 (한 줄에 ‘직위, 성명, 주제’)",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="시장이 있으면 맨 앞에 둡니다. 예: 시장, 홍길동, 청렴은 신뢰의 시작",
    )

    def clean_speakers(self) -> list[tuple[str, str, str]]:
        rows = []
        for number, line in enumerate(self.cleaned_data["speakers"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(",")]
            if len(parts) < 2 or not parts[0] or not parts[1]:
                raise forms.ValidationError(f"{number}번째 줄: ‘직위, 성명, 주제’ 형식으로 적어 주세요.")
            rows.append((parts[0], parts[1], ", ".join(parts[2:])))
        if not rows:
            raise forms.ValidationError("출연자를 한 명 이상 적어 주세요.")
        return rows


class AuditorForm(forms.ModelForm):
    class Meta:
        model = CitizenAuditor
        fields = ["name", "field", "affiliation", "term_start", "term_end", "active"]
        widgets = {
            "term_start": forms.DateInput(attrs={"type": "date"}),
            "term_end": forms.DateInput(attrs={"type": "date"}),
        }


class ActivityForm(forms.Form):
    auditor = forms.ModelChoiceField(label="시민감사관", queryset=CitizenAuditor.objects.filter(active=True))
    on_date = forms.DateField(label="활동일", widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.CharField(label="활동", max_length=50)
    summary = forms.CharField(label="내용", max_length=300, required=False)


class GuideForm(forms.Form):
    on_date = forms.DateField(label="배부일", widget=forms.DateInput(attrs={"type": "date"}))
    edition = forms.CharField(label="판", max_length=50, required=False)
    recipients = forms.CharField(label="대상", max_length=200)
    copies = forms.IntegerField(label="부수", min_value=0, required=False)
    note = forms.CharField(label="비고", max_length=200, required=False)

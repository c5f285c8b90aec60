"""Forms of the core pages: the audit-trail filter and the calendar (closures, hours, deadline)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms

from hwallyu.core.calendar import SEOUL
from hwallyu.core.models import CalendarSettings
from hwallyu.core.selectors import AuditFilter

_DATE_MESSAGES = {"invalid": "날짜 형식(예: 2024-09-13)이 올바르지 않습니다."}
_TIME_MESSAGES = {"required": "시각을 입력해 주세요.", "invalid": "시각 형식(예: 09:00)이 올바르지 않습니다."}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class KoreanForm(forms.Form):
    """A form whose labels carry no trailing colon (Korean UI)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class AuditFilterForm(KoreanForm):
    person = forms.CharField(label="수행자(아이디 또는 이름)", required=False, max_length=150)
    department = forms.TypedChoiceField(label="부서", required=False, coerce=int, empty_value=None)
    target_type = forms.ChoiceField(label="대상 종류", required=False)
    target_id = forms.CharField(label="대상 ID", required=False, max_length=64)
    action = forms.ChoiceField(label="작업", required=False)
    date_from = forms.DateField(label="시작일", required=False, widget=DateInput(), error_messages=_DATE_MESSAGES)
    date_to = forms.DateField(label="종료일", required=False, widget=DateInput(), error_messages=_DATE_MESSAGES)

    def __init__(
        self,
        *args: Any,
        departments: list[tuple[int, str]],
        actions: list[str],
        target_types: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.department_names = dict(departments)
        cast(forms.ChoiceField, self.fields["department"]).choices = [("", "전체"), *departments]
        cast(forms.ChoiceField, self.fields["action"]).choices = [("", "전체"), *[(a, a) for a in actions]]
        cast(forms.ChoiceField, self.fields["target_type"]).choices = [("", "전체"), *[(t, t) for t in target_types]]
        invalid_choice = "목록에 있는 값을 골라 주세요."
        for name in ("department", "action", "target_type"):
            self.fields[name].error_messages["invalid_choice"] = invalid_choice

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "종료일은 시작일과 같거나 뒤여야 합니다.")
        return data

    def to_filter(self) -> AuditFilter:
        data = self.cleaned_data
        department_id = data.get("department")
        return AuditFilter(
            person=(data.get("person") or "").strip(),
            department_id=department_id,
            department_label=self.department_names.get(department_id, "") if department_id is not None else "",
            target_type=data.get("target_type") or "",
            target_id=(data.get("target_id") or "").strip(),
            action=data.get("action") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class ClosureForm(KoreanForm):
    date = forms.DateField(
        label="날짜", widget=DateInput(), error_messages={**_DATE_MESSAGES, "required": "날짜를 입력해 주세요."}
    )
    name = forms.CharField(
        label="사유",
        max_length=100,
        error_messages={"required": "휴무 사유를 입력해 주세요.", "max_length": "사유는 100자 이내로 입력해 주세요."},
    )


class WorkingHoursForm(KoreanForm):
    FIELDS = ("morning_start", "morning_end", "afternoon_start", "afternoon_end")

    morning_start = forms.TimeField(label="오전 시작", widget=TimeInput(), error_messages=_TIME_MESSAGES)
    morning_end = forms.TimeField(label="오전 종료", widget=TimeInput(), error_messages=_TIME_MESSAGES)
    afternoon_start = forms.TimeField(label="오후 시작", widget=TimeInput(), error_messages=_TIME_MESSAGES)
    afternoon_end = forms.TimeField(label="오후 종료", widget=TimeInput(), error_messages=_TIME_MESSAGES)

    @classmethod
    def for_settings(cls, row: CalendarSettings) -> WorkingHoursForm:
        return cls(initial={name: getattr(row, name) for name in cls.FIELDS})

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        times: list[dt.time] = [data[name] for name in self.FIELDS if data.get(name) is not None]
        if len(times) == len(self.FIELDS) and not (times[0] < times[1] <= times[2] < times[3]):
            raise forms.ValidationError("근무 시간대는 오전 시작 < 오전 종료 ≤ 오후 시작 < 오후 종료 순서여야 합니다.")
        return data


class DeadlineForm(KoreanForm):
    MODE_DAYS = "days"
    MODE_SAME_DAY = "same_day"

    start = forms.DateTimeField(
        label="접수 일시",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": "접수 일시를 입력해 주세요.",
            "invalid": "일시 형식(예: 2024-09-13 10:00)이 올바르지 않습니다.",
        },
    )
    mode = forms.ChoiceField(
        label="처리 기간",
        choices=[(MODE_DAYS, "일수로 계산"), (MODE_SAME_DAY, "당일 처리")],
        initial=MODE_DAYS,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "처리 기간 방식을 골라 주세요.", "required": "처리 기간 방식을 골라 주세요."},
    )
    days = forms.IntegerField(
        label="일수",
        required=False,
        min_value=1,
        max_value=3650,
        error_messages={
            "invalid": "일수는 숫자로 입력해 주세요.",
            "min_value": "일수는 1 이상이어야 합니다.",
            "max_value": "일수는 3650 이하여야 합니다.",
        },
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("mode") == self.MODE_DAYS and data.get("days") is None and "days" not in self.errors:
            self.add_error("days", "일수를 입력하거나 '당일 처리'를 고르세요.")
        start = data.get("start")
        if isinstance(start, dt.datetime):
            data["start"] = start.astimezone(SEOUL) if start.tzinfo else start.replace(tzinfo=SEOUL)
        return data

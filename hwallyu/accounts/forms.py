from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from hwallyu.accounts.services import IDLE_MINUTES_MAX, IDLE_MINUTES_MIN
from hwallyu.org.models import Role


class KoreanForm(forms.Form):
    """Labels without Django's trailing colon; the field group template ties errors to inputs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "아이디 또는 비밀번호가 올바르지 않습니다. 5회 이상 틀리면 잠시 로그인할 수 없습니다.",
        "inactive": "사용이 중지된 계정입니다. 시스템 관리자에게 문의하세요.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "아이디"
        self.fields["password"].label = "비밀번호"


def _code_field(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=20,
        min_length=6,
        error_messages={
            "required": "인증 코드를 입력하세요.",
            "min_length": "인증 코드는 6자리 이상입니다.",
            "max_length": "인증 코드가 너무 깁니다.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )


class OtpForm(KoreanForm):
    token = _code_field("인증 코드(6자리)", "인증 앱에 표시된 6자리 숫자나, 백업 코드 하나를 입력하세요.")


class OtpConfirmForm(KoreanForm):
    token = _code_field("인증 앱에 표시된 코드(6자리)", "QR 코드를 등록한 뒤 앱에 나타난 6자리 숫자를 입력하세요.")


class OtpRemoveForm(KoreanForm):
    token = _code_field("현재 인증 코드", "본인 확인을 위해 인증 앱의 최신 코드(또는 백업 코드)를 입력하세요.")


class ApiTokenForm(KoreanForm):
    name = forms.CharField(
        label="토큰 이름",
        max_length=100,
        help_text="어디에 쓰는 토큰인지 알아볼 수 있게 적으세요. 예: 통계 연계",
        error_messages={"required": "토큰 이름을 입력하세요.", "max_length": "토큰 이름은 100자 이내로 적으세요."},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class KoreanPasswordChangeForm(PasswordChangeForm):
    """Django's form (Korean messages from its own translation), with the autocomplete hints browsers need."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "현재 비밀번호"
        self.fields["old_password"].widget.attrs.update({"autocomplete": "current-password", "autofocus": False})
        self.fields["new_password1"].widget.attrs["autocomplete"] = "new-password"
        self.fields["new_password2"].widget.attrs["autocomplete"] = "new-password"


class SecurityPolicyForm(KoreanForm):
    idle_timeout_minutes = forms.IntegerField(
        label="유휴 세션 만료(분)",
        min_value=IDLE_MINUTES_MIN,
        max_value=IDLE_MINUTES_MAX,
        help_text=f"{IDLE_MINUTES_MIN}~{IDLE_MINUTES_MAX}분. 이 시간 동안 아무 요청이 없으면 자동으로 로그아웃됩니다.",
        error_messages={
            "required": "유휴 세션 만료 시간을 입력하세요.",
            "invalid": "분 단위 숫자를 입력하세요.",
            "min_value": f"{IDLE_MINUTES_MIN}분 이상이어야 합니다.",
            "max_value": f"{IDLE_MINUTES_MAX}분 이하여야 합니다.",
        },
        widget=forms.NumberInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    require_2fa_roles = forms.MultipleChoiceField(
        label="2단계 인증이 필요한 역할",
        choices=Role.choices,
        required=False,
        help_text=(
            "선택한 역할의 사용자는 비밀번호 다음에 인증 앱 코드를 입력해야 합니다. "
            "아직 등록하지 않은 사용자는 먼저 등록 화면으로 안내됩니다."
        ),
        error_messages={"invalid_choice": "알 수 없는 역할입니다."},
        widget=forms.CheckboxSelectMultiple,
    )

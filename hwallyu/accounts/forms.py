from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "아이디 또는 비밀번호가 올바르지 않습니다. 5회 이상 틀리면 잠시 로그인할 수 없습니다.",
        "inactive": "사용이 중지된 계정입니다. 시스템 관리자에게 문의하세요.",
    }

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "아이디"
        self.fields["password"].label = "비밀번호"


class OtpForm(forms.Form):
    token = forms.CharField(label="인증 코드(6자리)", max_length=8, min_length=6)

from django.contrib.auth import views as auth_views
from django.urls import path

from hwallyu.accounts import views
from hwallyu.accounts.forms import LoginForm

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("otp/", views.otp_verify, name="otp"),
    path("settings/", views.account_settings, name="settings"),
    path("settings/otp/start/", views.otp_setup_start, name="otp_setup_start"),
    path("settings/otp/confirm/", views.otp_setup_confirm, name="otp_setup_confirm"),
    path("settings/otp/remove/", views.otp_remove, name="otp_remove"),
    path("settings/tokens/", views.api_token_create, name="token_create"),
    path("settings/tokens/<int:pk>/revoke/", views.api_token_revoke, name="token_revoke"),
    path("password/", views.AccountPasswordChangeView.as_view(), name="password_change"),
    path("security/", views.security_policy, name="security"),
]

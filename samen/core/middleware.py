"""Backbone coordinators and admins must use a second factor where SAMEN_REQUIRE_MFA is on."""

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from samen.core.permissions import needs_second_factor

# Pages a person without a second factor may still use: setting one up, and leaving.
ALLOWED_URL_NAMES = {
    "mfa_index",
    "mfa_reauthenticate",
    "account_email",
    "account_confirm_email",
    "account_email_verification_sent",
    "account_change_password",
    "mfa_activate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "account_logout",
    "account_reauthenticate",
    "set_language",
    "healthz",
}


class RequireSecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            self._lacks_second_factor(request)
            and not request.path_info.startswith((settings.STATIC_URL, settings.MEDIA_URL))
            and self._url_name(request) not in ALLOWED_URL_NAMES
        ):
            messages.warning(request, _("Your role requires a second factor. Set up an authenticator app first."))
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _lacks_second_factor(request: HttpRequest) -> bool:
        return bool(
            settings.SAMEN_REQUIRE_MFA and needs_second_factor(request.user) and not is_mfa_enabled(request.user)
        )

    @staticmethod
    def _url_name(request: HttpRequest) -> str | None:
        try:
            return resolve(request.path_info).url_name
        except Resolver404:
            return None

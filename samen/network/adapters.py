import secrets
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import RequestLoginCodeForm as AllauthRequestLoginCodeForm
from allauth.core import context as allauth_context
from allauth.core.internal import ratelimit
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.urls import translate_url
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samen.core.mail import absolute_url, mail_enqueue_rendered, mail_message, recipient_language
from samen.network.services import (
    JoinInvitationError,
    invitation_accept,
    invitation_for_someone_else,
    invitation_from_token,
    member_create,
)

# Where the invitation page keeps the token until the person has signed up.
INVITATION_SESSION_KEY = "samen_invitation"
# A browser where an account signed in before carries this signed cookie: a random device id and the
# accounts it signed in to. There the per-account caps (which guesses from many addresses can fill) are
# replaced by a cap of that device's own, so an attacker can never keep the owner out of a device they
# used before, and a copied cookie still meets a cap. An account's mark in it is bound to the password:
# a new password voids the cookies of before.
DEVICE_COOKIE = "samen_device"
DEVICE_SALT = "samen.network.adapters.device"
DEVICE_MAX_AGE = 180 * 24 * 3600


def _account_tag(login: str, password_hash: str) -> str:
    # Accounts by a keyed hash (no address in the cookie), changing with the password.
    value = f"{login.strip().lower()}:{password_hash}"
    return salted_hmac(DEVICE_SALT, value, algorithm="sha256").hexdigest()[:24]


def _device(request) -> dict:
    value = getattr(request, "COOKIES", {}).get(DEVICE_COOKIE)
    try:
        device = signing.loads(value, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE) if value else {}
    except (signing.BadSignature, ValueError, TypeError):
        return {}
    return device if isinstance(device, dict) and isinstance(device.get("a"), list) else {}


def known_device(request, login: str) -> str | None:
    """This browser's device id when it signed in to the account `login` before (with today's password)."""
    device = _device(request)
    if not device or not login:
        return None
    from samen.network.models import User

    password = User.objects.filter(email__iexact=login.strip()).values_list("password", flat=True).first()
    if password is None or _account_tag(login, password) not in device["a"]:
        return None
    return str(device.get("d", ""))[:32] or None


# allauth's mails, each built from a template of Samen's (network/templates/network/email/): allauth's name → ours.
# The context holds only the link or code the mail is for: no name of the person (a confirmation may reach an
# address someone else typed), no address or browser.
ACCOUNT_MAILS = {
    "account/email/email_confirmation_signup": "network/account_confirm_email",
    "account/email/email_confirmation": "network/account_confirm_email",
    "account/email/password_reset_key": "network/account_password_reset",
    "account/email/login_code": "network/account_login_code",
    "account/email/account_already_exists": "network/account_already_exists",
    "account/email/unknown_account": "network/account_unknown",
}
ACCOUNT_MAIL_LINKS = ("activate_url", "password_reset_url", "signup_url")


def _site_link(url: str, language: str) -> str:
    """allauth makes its links from the request's host and page language: the same page, from SITE_URL, in the
    recipient's language."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return absolute_url(translate_url(path, language))


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Someone else's wrong guesses must not keep the owner out: a code by email still works.
        "too_many_login_attempts": gettext_lazy(
            "Too many failed sign-in attempts. Try again in a few minutes, "
            "or sign in with a code sent to your email address."
        ),
    }

    def _get_login_attempts_cache_key(self, request, **credentials):
        # Wrong passwords count per account *and* address: others' guesses never shut the owner's own door.
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{self.get_client_ip(request)}"

    def pre_authenticate(self, request, **credentials):
        super().pre_authenticate(request, **credentials)
        # A generous cap per account, whatever the address, against guessing from many addresses.
        login = credentials.get("email", credentials.get("username", "")).lower()
        device = known_device(request, login)
        action, key = (
            ("samen_login_failed_device", f"{login}:{device}") if device else ("samen_login_failed_account", login)
        )
        self._account_rl_usage = ratelimit.consume(request, app="allauth.account", action=action, key=key)
        if not self._account_rl_usage:
            self._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")

    def _rollback_login_failed_rl_usage(self):
        super()._rollback_login_failed_rl_usage()
        usage = getattr(self, "_account_rl_usage", None)
        if usage:
            usage.rollback()

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        device = _device(request)
        account = _account_tag(user.email or "", user.password)
        accounts = [account, *[a for a in device.get("a", []) if isinstance(a, str) and a != account]][:5]
        response.set_cookie(
            DEVICE_COOKIE,
            signing.dumps({"d": device.get("d") or secrets.token_hex(16), "a": accounts}, salt=DEVICE_SALT),
            max_age=DEVICE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response

    def send_mail(self, template_prefix, email, context):
        """allauth's mails built by the one mail builder from templates of ours, in the recipient's language,
        with links from SITE_URL; rendered now, sent by the task interface after the commit."""
        name = ACCOUNT_MAILS.get(template_prefix)
        if name is None:
            # A mail allauth sends only with a setting Samen leaves off (test_account_mails checks which):
            # turning one on needs its template here first, rather than allauth's text reaching people.
            raise ImproperlyConfigured(f"allauth's mail {template_prefix!r} has no template of Samen's")
        language = recipient_language(email, default=translation.get_language() or settings.LANGUAGE_CODE)
        data = {key: _site_link(context[key], language) for key in ACCOUNT_MAIL_LINKS if context.get(key)}
        if context.get("code"):
            data["code"] = context["code"]
        mail_enqueue_rendered(mail_message(name, to=email, context=data, language=language))

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        self._keep_stash_only_for(request, user.email)
        if commit:
            member = member_create(user=user)
            _accept_invitation(request, member)
        return user

    def _keep_stash_only_for(self, request, email: str) -> None:
        # The invitation page stashed the invited address as verified (the link reached that inbox).
        # Signed up with another address, allauth would still make the stashed one theirs: drop it.
        stashed = self.unstash_verified_email(request) if hasattr(request, "session") else None
        if stashed and stashed.casefold() == (email or "").casefold():
            self.stash_verified_email(request, stashed)


class RequestLoginCodeForm(AllauthRequestLoginCodeForm):
    """Codes are limited per account and address, plus a cap of mails per account and hour: one who asks
    codes for someone else's address neither mails them without end nor keeps them from asking their own."""

    def clean_email(self):
        email = super().clean_email()
        if email:
            request = allauth_context.request
            account = email.lower()
            address = AccountAdapter().get_client_ip(request)
            device = known_device(request, account)
            limits = [
                ("samen_login_code", f"{account}:{address}"),
                ("samen_login_code_device", f"{account}:{device}") if device else ("samen_login_code_account", account),
            ]
            for action, key in limits:
                if not ratelimit.consume(request, app="allauth.account", action=action, key=key):
                    raise forms.ValidationError(
                        _("Too many codes were asked for this address. Try again later, or sign in with your password.")
                    )
        return email


def _accept_invitation(request, member) -> None:
    """Who joins through an invitation is brought by its member; a link gone bad meanwhile is ignored."""
    token = request.session.pop(INVITATION_SESSION_KEY, None) if hasattr(request, "session") else None
    if not token:
        return
    try:
        invitation = invitation_from_token(token)
    except JoinInvitationError:
        return  # the sign-up itself stays valid; the landing page already told them why
    invitation_accept(invitation=invitation, member=member)
    if invitation.organisation is not None and invitation_for_someone_else(invitation, member):
        messages.warning(
            request,
            _(
                "This invitation of %(org)s was sent to another email address, so you joined without a role "
                "there. Ask %(org)s to invite you at your own address."
            )
            % {"org": invitation.organisation.name},
        )

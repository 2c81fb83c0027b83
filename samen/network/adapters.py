from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import RequestLoginCodeForm as AllauthRequestLoginCodeForm
from allauth.core import context as allauth_context
from allauth.core.internal import ratelimit
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samen.core.mail import mail_enqueue_rendered
from samen.network.services import (
    JoinInvitationError,
    invitation_accept,
    invitation_for_someone_else,
    invitation_from_token,
    member_create,
)

# Where the invitation page keeps the token until the person has signed up.
INVITATION_SESSION_KEY = "samen_invitation"
# A browser where an account signed in before carries this signed cookie naming the account: there
# the per-account caps (which guesses from many addresses can fill) do not apply, so an attacker can
# never keep the owner out of a device they used before. Per address the limits still hold.
DEVICE_COOKIE = "samen_device"
DEVICE_SALT = "samen.network.adapters.device"
DEVICE_MAX_AGE = 180 * 24 * 3600


def _account_tag(login: str) -> str:
    # The cookie names accounts by a keyed hash, not by their address.
    return salted_hmac(DEVICE_SALT, login.strip().lower(), algorithm="sha256").hexdigest()[:24]


def known_device(request, login: str) -> bool:
    """Whether this browser signed in to the account `login` before (a device cookie we signed)."""
    value = getattr(request, "COOKIES", {}).get(DEVICE_COOKIE)
    if not value or not login:
        return False
    try:
        accounts = signing.loads(value, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return False
    return isinstance(accounts, list) and _account_tag(login) in accounts


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
        if known_device(request, login):
            self._account_rl_usage = None
            return
        self._account_rl_usage = ratelimit.consume(
            request, app="allauth.account", action="samen_login_failed_account", key=login
        )
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
        value = getattr(request, "COOKIES", {}).get(DEVICE_COOKIE)
        try:
            accounts = signing.loads(value, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE) if value else []
        except (signing.BadSignature, ValueError, TypeError):
            accounts = []
        account = _account_tag(user.email or "")
        accounts = [account, *[a for a in accounts if isinstance(a, str) and a != account]][:5]
        response.set_cookie(
            DEVICE_COOKIE,
            signing.dumps(accounts, salt=DEVICE_SALT),
            max_age=DEVICE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response

    def send_mail(self, template_prefix, email, context):
        """Rendered now (allauth's templates need the request), sent by the task interface after the commit."""
        from django.contrib.sites.shortcuts import get_current_site

        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        mail_enqueue_rendered(self.render_mail(template_prefix, email, ctx))

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
            limits = [("samen_login_code", f"{account}:{address}")]
            if not known_device(request, account):
                limits.append(("samen_login_code_account", account))
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

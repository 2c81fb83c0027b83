from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.utils.translation import gettext as _

from samen.network.services import (
    InvitationError,
    invitation_accept,
    invitation_for_someone_else,
    invitation_from_token,
    member_create,
)

# Where the invitation page keeps the token until the person has signed up.
INVITATION_SESSION_KEY = "samen_invitation"


class AccountAdapter(DefaultAccountAdapter):
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


def _accept_invitation(request, member) -> None:
    """Who joins through an invitation is brought by its member; a link gone bad meanwhile is ignored."""
    token = request.session.pop(INVITATION_SESSION_KEY, None) if hasattr(request, "session") else None
    if not token:
        return
    try:
        invitation = invitation_from_token(token)
    except InvitationError:
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

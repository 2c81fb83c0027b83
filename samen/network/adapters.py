from allauth.account.adapter import DefaultAccountAdapter

from samen.network.services import InvitationError, invitation_accept, invitation_from_token, member_create

# Where the invitation page keeps the token until the person has signed up.
INVITATION_SESSION_KEY = "samen_invitation"


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            member = member_create(user=user)
            _accept_invitation(request, member)
        return user


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

"""Background work of the network: the mails. Each task takes ids and strings and reads the rest
itself, so a mail server that fails never undoes (or breaks the page of) what was saved."""

from samen.core.mail import mail_send
from samen.core.tasks import task
from samen.network.models import JoinInvitation, PartnerProposal, User


@task(sealed=True)  # the link holds the invitation's token
def send_invitation(invitation_id: int, link: str, language: str) -> None:
    """Mail an invitation; someone who is a member already gets a short note instead (the inviter is not told)."""
    invitation = JoinInvitation.objects.select_related("inviter__user", "organisation").filter(pk=invitation_id).first()
    if invitation is None or invitation.is_withdrawn or not invitation.email:
        return
    member = User.objects.filter(email__iexact=invitation.email, is_active=True).first()
    if member is not None:
        _tell_member_of_invitation(invitation, member, language)
        return
    if User.objects.filter(email__iexact=invitation.email).exists():
        return  # an account not (or no longer) active: nothing to send
    context = {"invitation": invitation, "link": link, "inviter": invitation.inviter.user}
    mail_send("network/invitation", to=invitation.email, context=context, language=language)


def _tell_member_of_invitation(invitation: JoinInvitation, member: User, language: str) -> None:
    """The invited address is a member already: only they learn of it, from a mail to their own inbox."""
    context = {"member": member, "inviter_name": invitation.inviter.short_name, "invitation": invitation}
    mail_send("network/invitation_member", to=member.email, context=context, language=language)


@task
def send_partner_decision(proposal_id: int, language: str) -> None:
    """Tell the member who proposed a partner what the backbone decided, and why when declined."""
    proposal = PartnerProposal.objects.select_related("proposed_by__user").filter(pk=proposal_id).first()
    if proposal is None or proposal.status == PartnerProposal.Status.PENDING:
        return
    user = proposal.proposed_by.user
    if not user.email or not user.is_active:
        return
    context = {"proposal": proposal, "user": user, "accepted": proposal.status == PartnerProposal.Status.ACCEPTED}
    mail_send("network/partner_decision", to=user.email, context=context, language=language)

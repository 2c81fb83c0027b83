"""Background work of activities: emails that must never fail the request that asked for them."""

from django.utils import translation

from samen.core.mail import absolute_url, mail_send
from samen.core.tasks import task


@task
def send_role_invitation(invitation_id: int, language: str) -> None:
    """Email a member the invitation to a role, in the language the organiser used."""
    from samen.activities.models import InvitationOptOut, RoleInvitation

    invitation = (
        RoleInvitation.objects.select_related("role__activity__lead_organisation", "member__user")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:  # withdrawn, or the member left, before the worker got to it
        return
    role, member = invitation.role, invitation.member
    if InvitationOptOut.objects.filter(member=member).exists():  # opted out in the meantime
        return
    with translation.override(language):  # the link leads to the page in the same language
        link = absolute_url(role.activity.get_absolute_url()) + f"#role-{role.pk}"
    mail_send(
        "activities/invitation",
        to=member.user.email,
        context={"member": member, "role": role, "activity": role.activity, "link": link},
        language=language,
    )

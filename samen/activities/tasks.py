"""Background work of activities: emails that must never fail the request that asked for them."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from samen.core.tasks import task


@task
def send_role_invitation(invitation_id: int, link: str, language: str) -> None:
    """Email a member the invitation to a role, in the language the organiser used."""
    from samen.activities.models import Invitation, InvitationOptOut

    invitation = (
        Invitation.objects.select_related("role__activity__lead_organisation", "member__user")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:  # withdrawn, or the member left, before the worker got to it
        return
    role, member = invitation.role, invitation.member
    if InvitationOptOut.objects.filter(member=member).exists():  # opted out in the meantime
        return
    with translation.override(language):
        context = {"member": member, "role": role, "activity": role.activity, "link": link}
        subject = _("An activity needs you: %(title)s") % {"title": role.activity.title}
        body = render_to_string("activities/email/invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [member.user.email])

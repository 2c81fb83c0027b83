"""Background work of the agenda: mails that must never undo or fail what the person just did."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from samen.agenda.models import Proposal
from samen.core.tasks import task


@task
def send_answer_email(proposal_id: int, base_url: str) -> None:
    """Tell the proposer the backbone's answer, in Dutch and English: the platform does not know
    which language they read. Reads the proposal as stored, so a worker sends what is public."""
    proposal = Proposal.objects.select_related("author").filter(pk=proposal_id).first()
    if proposal is None or proposal.is_open:
        return
    parts, subjects = [], []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            context = {
                "proposal": proposal,
                "person": proposal.author,
                "status": proposal.get_status_display(),
                "url": base_url + proposal.get_absolute_url(),
            }
            subjects.append(_("Your proposal “%(title)s” has an answer") % {"title": proposal.title})
            parts.append(render_to_string("agenda/email/proposal_answered.txt", context))
    send_mail(subjects[0], "\n\n-----\n\n".join(parts), None, [proposal.author.email])

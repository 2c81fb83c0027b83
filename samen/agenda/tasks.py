"""Background work of the agenda: mails that must never undo or fail what the person just did."""

from django.conf import settings

from samen.agenda.models import Proposal
from samen.core.mail import mail_send
from samen.core.tasks import task


@task
def send_answer_email(proposal_id: int) -> None:
    """Tell the proposer the backbone's answer, in Dutch and English: the platform does not know
    which language they read. Reads the proposal as stored, so a worker sends what is public."""
    proposal = Proposal.objects.select_related("author").filter(pk=proposal_id).first()
    if proposal is None or proposal.is_open or proposal.author is None:
        return
    mail_send(
        "agenda/proposal_answered",
        to=proposal.author.email,
        context={
            "proposal": proposal,
            "person": proposal.author,
            "languages": [code for code, _ in settings.LANGUAGES],
        },
        language=settings.LANGUAGES[0][0],
    )

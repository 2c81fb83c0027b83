"""The emails of a registration as background work: a failing mail server is logged, never shown to the
person whose registration is already saved, and a cancel never waits for the promotion mails it causes.

Arguments are ids and strings (see core.tasks): the task reads the registration as it is when it runs.
ActivitiesConfig.ready imports this module, so a worker knows these tasks (Celery finds only
`<app>.tasks` by itself)."""

from samen.activities.events import mail
from samen.activities.events.models import Registration
from samen.core.tasks import task


def _registration(registration_id: int) -> Registration | None:
    # Gone (an account erased in the meantime): nothing to send.
    return Registration.objects.select_related("event").filter(pk=registration_id).first()


@task
def send_verify(registration_id: int) -> None:
    registration = _registration(registration_id)
    if registration is not None and registration.status == Registration.Status.PENDING:
        mail.send_verify(registration)


@task
def send_confirmed(registration_id: int) -> None:
    registration = _registration(registration_id)
    if registration is not None and registration.status in (Registration.Status.CONFIRMED, Registration.Status.WAITING):
        mail.send_confirmed(registration)


@task
def send_promoted(registration_id: int) -> None:
    registration = _registration(registration_id)
    if registration is not None and registration.status == Registration.Status.CONFIRMED:
        mail.send_promoted(registration)


@task
def send_status(registration_id: int) -> None:
    """Someone typed this address on the event page again: the status goes to the address, not the screen."""
    registration = _registration(registration_id)
    if registration is None:
        return
    if registration.status == Registration.Status.PENDING:
        mail.send_verify(registration)
    elif registration.status in (Registration.Status.CONFIRMED, Registration.Status.WAITING):
        mail.send_confirmed(registration)

"""Newsletters: a segment of the members who consented, previewed, tested, then sent once in batches.

The send is claimed with one conditional UPDATE (draft → sending), so a second click, a second tab
or a second worker cannot send it twice. Deliveries are written in chunks and mailed in batches
through the task queue: memory is bounded by the batch, and each batch costs the same few queries."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.communication.models import Delivery, Newsletter, Profile
from samen.communication.text import plain_text_clean, rich_text_clean
from samen.core.audit import audit_log
from samen.core.mail import mail_message
from samen.core.permissions import BACKBONE, is_backbone
from samen.core.tasks import enqueue, task
from samen.network.models import Area, User
from samen.network.selectors import editor_memberships

BATCH = 500
# A batch's mails are recorded this many at a time: few queries, and few people in doubt when a worker dies.
RECORD_EVERY = 50
# A batch mails 500 people in a few minutes; a delivery that has not moved for an hour lost its worker.
STUCK_AFTER = datetime.timedelta(hours=1)


def recipients(newsletter: Newsletter) -> QuerySet[User]:
    """Active people who consented to the newsletter, narrowed by each filter of the segment."""
    users = User.objects.filter(is_active=True, communication__newsletter_consent=True)
    sectors = list(newsletter.sectors.values_list("pk", flat=True))
    if sectors:
        users = users.filter(member__memberships__organisation__sector__in=sectors)
    if newsletter.roles:
        role_q = Q()
        if "editor" in newsletter.roles:
            role_q |= Q(pk__in=editor_memberships().values("member__user_id"))  # the role, as every app reads it
        if "backbone" in newsletter.roles:
            role_q |= Q(groups__name=BACKBONE)
        if "member" in newsletter.roles:
            role_q |= Q(member__isnull=False)
        users = users.filter(role_q)
    if newsletter.circles:
        users = users.filter(member__circle__in=newsletter.circles)
    paths = list(Area.objects.filter(pk__in=newsletter.areas.values("pk")).values_list("path", flat=True))
    if paths:
        area_q = Q()
        for path in paths:
            area_q |= Q(member__neighbourhood__path__startswith=path)
        users = users.filter(area_q)
    domains = list(newsletter.action_domains.values_list("pk", flat=True))
    if domains:
        users = users.filter(member__interests__in=domains)
    campaigns = list(newsletter.campaigns.values_list("pk", flat=True))
    if campaigns:
        from samen.activities.events.models import Registration

        # Who still has a place or waits for one; a cancelled registration is no participation.
        users = users.filter(
            member__registrations__event__campaign__in=campaigns, member__registrations__status__in=Registration.ACTIVE
        )
    return users.distinct().order_by("pk")


@transaction.atomic
def newsletter_save(*, newsletter: Newsletter, actor: Any, relations: dict[str, Any]) -> Newsletter:
    if not is_backbone(actor):
        raise PermissionDenied
    if newsletter.status != Newsletter.Status.DRAFT:
        raise ValidationError(_("A newsletter that was sent cannot be changed."))
    for lang in ("nl", "en"):
        setattr(newsletter, f"subject_{lang}", plain_text_clean(getattr(newsletter, f"subject_{lang}")))
        setattr(newsletter, f"body_{lang}", rich_text_clean(getattr(newsletter, f"body_{lang}")))
    if newsletter._state.adding:  # not saved yet (django-stubs types `pk` as never None)
        newsletter.created_by = actor
    newsletter.full_clean(exclude=["created_by", "sectors", "areas", "action_domains", "campaigns"])
    newsletter.save()
    for name, values in relations.items():
        getattr(newsletter, name).set(values)
    audit_log(actor=actor, action="newsletter.saved", obj=newsletter)
    return newsletter


def _headers(user: Any) -> dict[str, str]:
    from samen.communication.unsubscribe import unsubscribe_headers

    return unsubscribe_headers(user, "newsletter")


def newsletter_message(newsletter: Newsletter, *, user: Any, language: str) -> Any:
    from samen.communication.unsubscribe import unsubscribe_url

    use = language if getattr(newsletter, f"subject_{language}") else "nl"
    context = {
        "subject": getattr(newsletter, f"subject_{use}"),
        "body": getattr(newsletter, f"body_{use}"),
        "unsubscribe_url": unsubscribe_url(user, "newsletter"),
    }
    return mail_message(
        "communication/newsletter", to=user.email, context=context, language=language, headers=_headers(user)
    )


def newsletter_test(*, newsletter: Newsletter, actor: Any, language: str) -> None:
    """Send the newsletter to the person writing it, now, in one language."""
    if not is_backbone(actor):
        raise PermissionDenied
    newsletter_message(newsletter, user=actor, language=language).send()


def _id_chunks(users: QuerySet[User], size: int) -> Iterator[list[int]]:
    chunk: list[int] = []
    for pk in users.values_list("pk", flat=True).iterator(chunk_size=size):
        chunk.append(pk)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def newsletter_send(*, newsletter: Newsletter, actor: Any) -> int:
    """Queue the newsletter for everyone in its segment, once; returns how many recipients."""
    if not is_backbone(actor):
        raise PermissionDenied
    with transaction.atomic():
        if not recipients(newsletter).exists():
            raise ValidationError(_("Nobody in this segment wants the newsletter: choose a wider segment."))
        claimed = Newsletter.objects.filter(pk=newsletter.pk, status=Newsletter.Status.DRAFT).update(
            status=Newsletter.Status.SENDING, sent_at=timezone.now()
        )
        if not claimed:
            raise ValidationError(_("This newsletter was sent already; it is never sent twice."))
        total = 0
        for chunk in _id_chunks(recipients(newsletter), BATCH):
            rows = Delivery.objects.bulk_create([Delivery(newsletter_id=newsletter.pk, user_id=pk) for pk in chunk])
            total += len(rows)
            # Each batch is a range of delivery ids: batches never overlap, whichever worker runs them.
            enqueue(newsletter_batch, newsletter.pk, rows[0].pk, rows[-1].pk)
        audit_log(actor=actor, action="newsletter.sent", obj=newsletter, changes={"recipients": total})
    return total


def _consenting() -> QuerySet[User, Any]:
    return User.objects.filter(is_active=True, communication__newsletter_consent=True).values("pk")


@task
def newsletter_batch(newsletter_id: int, first_delivery: int, last_delivery: int) -> int:
    """Mail one batch of queued deliveries, recording each as sent, failed (with the reason) or skipped.

    A task can run twice (acks_late: a lost worker or a slow batch is delivered again), so the batch is claimed
    with one conditional UPDATE before anything is mailed: a second run finds the rows claimed and leaves them.
    The rows are then mailed in id order, RECORD_EVERY at a time, each part taken again in one UPDATE just before
    it is mailed (a part claim, `<claim>:<n>`): only rows still this run's and still wanted are mailed, so a part
    that deliveries_resume gave back to the queue (a run paused for an hour) is never mailed by this run too, and
    who unsubscribed while the batch was being mailed is skipped. The same moment keeps the rest of the claim
    fresh (a live run is not taken for a dead one). Each part's results are recorded in one UPDATE, so a dead
    worker leaves at most one part in doubt; the queries of a batch do not grow with its size."""
    newsletter = Newsletter.objects.get(pk=newsletter_id)
    in_batch = Delivery.objects.filter(newsletter_id=newsletter_id, pk__gte=first_delivery, pk__lte=last_delivery)
    claim = uuid.uuid4().hex[:24]
    in_batch.filter(status=Delivery.Status.QUEUED, user__in=_consenting()).update(
        status=Delivery.Status.SENDING, claim=claim, at=timezone.now()
    )
    _skip_unwanted(in_batch.filter(status=Delivery.Status.QUEUED))  # another run's rows are claimed, not queued
    batch = list(in_batch.filter(claim=claim, status=Delivery.Status.SENDING).select_related("user").order_by("pk"))
    languages = dict(Profile.objects.filter(user_id__in=[d.user_id for d in batch]).values_list("user_id", "language"))
    mailed = 0
    with get_connection() as connection:
        for number, start in enumerate(range(0, len(batch), RECORD_EVERY)):
            part = _part_take(in_batch, claim, f"{claim}:{number}", batch[start : start + RECORD_EVERY])
            for delivery in part:
                try:
                    message = newsletter_message(
                        newsletter, user=delivery.user, language=languages.get(delivery.user_id, "nl")
                    )
                    message.connection = connection
                    message.send()
                    delivery.status, delivery.reason = Delivery.Status.SENT, ""
                    mailed += 1
                except Exception as error:  # one bad address must not stop the others; the reason is kept
                    delivery.status, delivery.reason = Delivery.Status.FAILED, str(error)[:300]
            _record(part)
    _finish(newsletter_id)
    return mailed


def _skip_unwanted(rows: QuerySet[Delivery]) -> None:
    """Rows of people who no longer want the newsletter (consent withdrawn, account closed) are skipped."""
    rows.exclude(user__in=_consenting()).update(
        status=Delivery.Status.SKIPPED, reason=Delivery.REASON_NO_CONSENT, claim="", at=timezone.now()
    )


def _part_take(in_batch: QuerySet[Delivery], claim: str, part_claim: str, part: list[Delivery]) -> list[Delivery]:
    """Take the next part of the claim just before mailing it: the rows still ours and still wanted.

    Two UPDATEs: the rest of the claim is kept fresh, the part gets its own claim. Only when some row was taken
    back or is no longer wanted (rare) are the rows read again."""
    now = timezone.now()
    in_batch.filter(claim=claim, status=Delivery.Status.SENDING).update(at=now)
    ids = [d.pk for d in part]
    ours = in_batch.filter(pk__in=ids, claim=claim, status=Delivery.Status.SENDING)
    taken = ours.filter(user__in=_consenting()).update(claim=part_claim, at=now)
    if taken == len(part):
        return part
    _skip_unwanted(ours)  # still ours but no longer wanted; what resume took back is not ours any more
    held = set(in_batch.filter(pk__in=ids, claim=part_claim).values_list("pk", flat=True))
    return [d for d in part if d.pk in held]


def _record(part: list[Delivery]) -> None:
    """Sent rows in one UPDATE; failed ones (rare, each with its own reason) in one bulk UPDATE."""
    now = timezone.now()
    sent = [d.pk for d in part if d.status == Delivery.Status.SENT]
    if sent:
        Delivery.objects.filter(pk__in=sent).update(status=Delivery.Status.SENT, reason="", claim="", at=now)
    failed = [d for d in part if d.status == Delivery.Status.FAILED]
    for delivery in failed:
        delivery.claim, delivery.at = "", now
    if failed:
        Delivery.objects.bulk_update(failed, ["status", "reason", "claim", "at"])


def _finish(newsletter_id: int) -> None:
    """A newsletter is sent when no delivery waits or is being mailed any more."""
    waiting = (Delivery.Status.QUEUED, Delivery.Status.SENDING)
    if not Delivery.objects.filter(newsletter_id=newsletter_id, status__in=waiting).exists():
        Newsletter.objects.filter(pk=newsletter_id, status=Newsletter.Status.SENDING).update(
            status=Newsletter.Status.SENT
        )


def _claims_close(*, limit: datetime.datetime, now: datetime.datetime) -> int:
    """Close what dead workers left "being sent". A row with a part claim (`<claim>:<n>`) was being mailed and may
    have left: it is closed as failed. A row with only the batch's claim was never tried: it is queued again.
    A row without a claim was claimed one at a time (before claims were batched): it may have left."""
    stuck = Delivery.objects.filter(status=Delivery.Status.SENDING, at__lt=limit)
    unknown = stuck.filter(Q(claim="") | Q(claim__contains=":")).update(
        status=Delivery.Status.FAILED, reason=Delivery.REASON_UNKNOWN, claim="", at=now
    )
    # Queued again with their old moment, so the queued rows below pick them up in this same run.
    stuck.exclude(claim="").exclude(claim__contains=":").update(status=Delivery.Status.QUEUED, claim="")
    return unknown


def deliveries_resume(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Finish what a dead worker left of a newsletter (the periodic job), never mailing anyone twice.

    - Queued longer than STUCK_AFTER, in a newsletter none of whose deliveries moved for STUCK_AFTER (a newsletter
      still being mailed is only waiting behind a busy queue): the batch task was lost or stopped before it reached
      them. They were never claimed, so never mailed: they are queued again, in ranges of BATCH. The claim in `newsletter_batch` keeps
      a late original task and the new one from both mailing a person.
    - "Being sent" longer than STUCK_AFTER: the worker died between the claim and the record. The rows it was
      mailing may have been taken by the mail server already (nothing tells us), so mailing them again could mail
      a person twice: they are closed as failed, with that reason, for the backbone to see in the log. The rows
      of its claim after those were never tried: they are queued again (`_claims_close`)."""
    now = now or timezone.now()
    limit = now - STUCK_AFTER
    # A newsletter whose deliveries still move is only waiting behind a busy queue: its tasks are there.
    # (Read before the rows below are closed, which moves them.)
    moving = set(Delivery.objects.filter(at__gte=limit).values_list("newsletter_id", flat=True).distinct())
    unknown = _claims_close(limit=limit, now=now)
    requeued = 0
    stuck = Delivery.objects.filter(status=Delivery.Status.QUEUED, at__lt=limit)
    stalled = set(stuck.order_by().values_list("newsletter_id", flat=True).distinct()) - moving
    for newsletter_id in sorted(stalled):
        last = 0
        while chunk := list(
            stuck.filter(newsletter_id=newsletter_id, pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH]
        ):
            # Moved to now, so the next run waits another STUCK_AFTER before it queues them again.
            Delivery.objects.filter(pk__in=chunk, status=Delivery.Status.QUEUED).update(at=now)
            enqueue(newsletter_batch, newsletter_id, chunk[0], chunk[-1])
            requeued += len(chunk)
            last = chunk[-1]
    for newsletter_id in Newsletter.objects.filter(status=Newsletter.Status.SENDING).values_list("pk", flat=True):
        _finish(newsletter_id)
    return {"requeued": requeued, "closed_unknown": unknown}

"""Every write of campaigns, events and registrations: pages, admin and demo call these functions."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from samen.activities.events import tasks
from samen.activities.events.mail import CANCEL_SALT, CONFIRM_SALT  # noqa: F401  (views name the salts here)
from samen.activities.events.models import Campaign, Event, Registration
from samen.core import signals
from samen.core.audit import audit_log, model_changes
from samen.core.permissions import is_backbone
from samen.core.slugs import unique_slug
from samen.core.tasks import enqueue
from samen.network.models import Member, User

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read out at the door
CODE_LENGTH = 6
CONFIRM_MAX_AGE = 7 * 24 * 3600


class RegistrationError(Exception):
    """A registration that cannot be made or changed; the message says why, for the person."""


# --- Campaigns ----------------------------------------------------------------------------------

CAMPAIGN_FIELDS = ("title", "theme", "description", "starts_on", "ends_on", "is_published")


@transaction.atomic
def campaign_save(*, campaign: Campaign, actor: User | None) -> Campaign:
    """Create or change a campaign, with its audit entry."""
    created = campaign.pk is None
    before = {} if created else _snapshot(Campaign.objects.get(pk=campaign.pk), CAMPAIGN_FIELDS)
    if created and not campaign.slug:
        campaign.slug = unique_slug(
            Campaign, f"{campaign.title} {campaign.starts_on.year}", fallback="campaign", reserved=RESERVED_SLUGS
        )
    campaign.full_clean()
    campaign.save()
    changes = model_changes(before, _snapshot(campaign, CAMPAIGN_FIELDS))
    audit_log(actor=actor, action="campaign.created" if created else "campaign.updated", obj=campaign, changes=changes)
    return campaign


@transaction.atomic
def campaign_event_decide(*, event: Event, actor: User, accept: bool) -> Event:
    """The backbone takes a proposed event into the campaign's programme, or declines it."""
    campaign = event.campaign
    if campaign is None:
        raise ValidationError(_("This event is not proposed for a campaign."))
    event.campaign_status = Event.CampaignStatus.ACCEPTED if accept else Event.CampaignStatus.DECLINED
    was_accepted = Event.objects.filter(pk=event.pk, campaign_status=Event.CampaignStatus.ACCEPTED).exists()
    event.save(update_fields=["campaign_status", "updated_at"])
    audit_log(
        actor=actor,
        action="campaign.event_accepted" if accept else "campaign.event_declined",
        obj=event,
        changes={"campaign": campaign.slug},
    )
    if accept and not was_accepted:
        transaction.on_commit(lambda: signals.event_published.send(sender=Event, event_id=event.pk, campaign_only=True))
    return event


# --- Events -------------------------------------------------------------------------------------

EVENT_FIELDS = (
    "title",
    "description",
    "organisation_id",
    "activity_id",
    "campaign_id",
    "campaign_status",
    "starts_at",
    "ends_at",
    "place_name",
    "address",
    "accessibility",
    "capacity",
    "price",
    "registration_open",
    "is_published",
)


def event_validate(*, starts_at: Any, ends_at: Any, campaign: Campaign | None, was_starting: Any = None) -> None:
    """The rules a form and the service share: ends after it starts, not in the past, inside its campaign."""
    errors: dict[str, str] = {}
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = _("The end must be after the start.")
    # A new event, or one moved to another time, cannot be in the past; an old one may still be edited.
    if starts_at and starts_at != was_starting and starts_at < timezone.now():
        errors["starts_at"] = _("This moment is in the past; an event must start in the future.")
    if campaign is not None and starts_at:
        day = timezone.localdate(starts_at)
        if not campaign.starts_on <= day <= campaign.ends_on:
            errors["campaign"] = _("%(campaign)s runs from %(start)s to %(end)s; this event is on %(day)s.") % {
                "campaign": campaign.title,
                # In the language of the page or mail: "1 maart 2027", "March 1, 2027".
                "start": date_format(campaign.starts_on, "DATE_FORMAT"),
                "end": date_format(campaign.ends_on, "DATE_FORMAT"),
                "day": date_format(day, "DATE_FORMAT"),
            }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def event_save(*, event: Event, actor: User | None, check_dates: bool = True) -> Event:
    """Create or change an event. Choosing a campaign proposes the event; the backbone's own are accepted."""
    created = event.pk is None
    stored = None if created else Event.objects.select_for_update().get(pk=event.pk)
    before = {} if stored is None else _snapshot(stored, EVENT_FIELDS)
    if check_dates:
        event_validate(
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            campaign=event.campaign,
            was_starting=stored.starts_at if stored else None,
        )
    _campaign_status(event, stored, actor)
    if created:
        event.slug = event.slug or unique_slug(
            Event, f"{event.title} {timezone.localdate(event.starts_at)}", fallback="event", reserved=RESERVED_SLUGS
        )
        event.created_by = actor if getattr(actor, "is_authenticated", False) else None
    event.full_clean(exclude=["created_by"])
    event.save()
    # More places: the waiting list moves up, but only before the start (nobody is promoted after the fact).
    raised = stored is not None and (event.capacity is None or (stored.capacity or 0) < event.capacity)
    if raised and event.starts_at > timezone.now():
        _fill_free_places(event)
    changes = model_changes(before, _snapshot(event, EVENT_FIELDS))
    audit_log(actor=actor, action="event.created" if created else "event.updated", obj=event, changes=changes)
    if created:
        transaction.on_commit(lambda: signals.event_created.send(sender=Event, event_id=event.pk))
    elif stored is not None and event.is_published and not stored.is_published:  # a draft made public is news now
        transaction.on_commit(lambda: signals.event_published.send(sender=Event, event_id=event.pk))
    return event


def _campaign_status(event: Event, stored: Event | None, actor: User | None) -> None:
    if event.campaign_id is None:
        event.campaign_status = Event.CampaignStatus.NONE
    elif stored is None or stored.campaign_id != event.campaign_id:
        backbone = actor is None or is_backbone(actor)
        event.campaign_status = Event.CampaignStatus.ACCEPTED if backbone else Event.CampaignStatus.PROPOSED


@transaction.atomic
def walk_ins_add(*, event: Event, count: int, residents: int, actor: User) -> Event:
    """Count people who came without registering; a negative number corrects a mistake."""
    _door_open(event, error=ValidationError)
    locked = Event.objects.select_for_update().get(pk=event.pk)
    total, local = locked.walk_ins + count, locked.walk_in_residents + residents
    if total < 0 or local < 0:
        raise ValidationError(_("There cannot be fewer than zero walk-ins."))
    if local > total:
        raise ValidationError(_("More residents than walk-ins: the residents are part of the walk-ins."))
    Event.objects.filter(pk=event.pk).update(
        walk_ins=F("walk_ins") + count, walk_in_residents=F("walk_in_residents") + residents
    )
    locked.refresh_from_db(fields=["walk_ins", "walk_in_residents"])
    audit_log(actor=actor, action="event.walk_ins", obj=locked, changes={"walk_ins": count, "residents": residents})
    return locked


# --- Registrations ------------------------------------------------------------------------------


def registration_open_error(event: Event) -> str | None:
    """Why nobody can register now, or None."""
    if not event.is_published:
        return _("This event is not published.")
    if event.ends_at <= timezone.now():
        return _("This event is over.")
    if event.starts_at <= timezone.now():
        return _("This event has already started; registration is closed.")
    if not event.registration_open:
        return _("Registration for this event is closed.")
    return None


def registration_create(
    *,
    event: Event,
    name: str,
    email: str,
    is_resident: bool,
    language: str,
    member: Member | None = None,
) -> Registration:
    """Register someone. A member gets a place (or a spot in line) at once; a visitor first confirms the address."""
    error = registration_open_error(event)
    if error:
        raise RegistrationError(error)
    email = email.strip().lower()
    existing = _active_registration(event, email)
    if existing:
        return _registration_again(existing, member=member)
    with transaction.atomic():
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    event=event,
                    member=member,
                    name=name.strip(),
                    email=email,
                    is_resident=is_resident,
                    language=language,
                    code=_new_code(event),
                    link_sent_at=None if member else timezone.now(),
                )
        except IntegrityError:
            # Two clicks at the same moment: the database keeps one active registration per address.
            existing = _active_registration(event, email)
            if member is None and existing is not None:
                return _visitor_again(existing)
            raise RegistrationError(_("This email address is already registered for this event.")) from None
        if member is None:
            enqueue(tasks.send_verify, registration.pk)
            return registration
        transaction.on_commit(
            lambda: signals.registration_made.send(sender=Registration, registration_id=registration.pk)
        )
        return registration_confirm(registration=registration)


RESEND_AFTER = datetime.timedelta(minutes=10)


def _active_registration(event: Event, email: str) -> Registration | None:
    return Registration.objects.filter(event=event, email=email, status__in=Registration.ACTIVE).first()


def _registration_again(existing: Registration, *, member: Member | None) -> Registration:
    """A second registration of one address. A member's address is verified, so their pending one is confirmed
    and any other status is theirs to see. A visitor could be anyone typing someone else's address."""
    if member is None:
        return _visitor_again(existing)
    if existing.status != Registration.Status.PENDING:
        raise RegistrationError(_already_message(existing))
    Registration.objects.filter(pk=existing.pk).update(member=member)
    return registration_confirm(registration=existing)


def _visitor_again(existing: Registration) -> Registration:
    """Who goes to a care event is nobody else's business: the page answers a visitor the same whatever the
    status, and the status goes by email to the address, at most every RESEND_AFTER (no flooding an inbox)."""
    now = timezone.now()
    with transaction.atomic():
        resend = Registration.objects.filter(
            Q(link_sent_at__isnull=True) | Q(link_sent_at__lt=now - RESEND_AFTER), pk=existing.pk
        ).update(link_sent_at=now)
        if resend:
            enqueue(tasks.send_status, existing.pk)
    return existing


def _already_message(existing: Registration) -> str:
    """Only ever shown to the member who owns the address."""
    if existing.status == Registration.Status.WAITING:
        return _("This email address is already on the waiting list for this event.")
    return _("This email address is already registered for this event.")


def _new_code(event: Event) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        if not Registration.objects.filter(event=event, code=code).exists():
            return code


@transaction.atomic
def registration_confirm(*, registration: Registration, actor: User | None = None) -> Registration:
    """Give a place if one is free, else a spot on the waiting list; the person gets an email either way."""
    # The event row is the lock: two people confirming for the last place are served one after the other.
    # (PostgreSQL: FOR UPDATE; SQLite: the settings open every transaction IMMEDIATE, one writer at a time.)
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise RegistrationError(_("This registration was cancelled. To come after all, register again."))
    if registration.status != Registration.Status.PENDING:
        return registration
    error = registration_open_error(event)  # the organiser may have closed registration since the email
    if error:
        raise RegistrationError(error)
    registration.status = Registration.Status.CONFIRMED if _has_free_place(event) else Registration.Status.WAITING
    registration.queued_at = timezone.now()
    registration.save(update_fields=["status", "queued_at"])
    if actor is not None:  # staff confirming for someone, not the person's own link
        audit_log(
            actor=actor, action="registration.confirmed", obj=registration, changes={"status": registration.status}
        )
    enqueue(tasks.send_confirmed, registration.pk)
    return registration


def _has_free_place(event: Event) -> bool:
    if event.capacity is None:
        return True
    taken = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).count()
    return taken < event.capacity


@transaction.atomic
def registration_cancel(*, registration: Registration, actor: User | None = None) -> Registration:
    """Cancel; a freed place goes to the first person on the waiting list, who gets an email."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise RegistrationError(_("This registration was already cancelled."))
    if registration.checked_in_at:
        raise RegistrationError(_("You were already checked in at this event; it cannot be cancelled any more."))
    had_place = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if actor is not None:  # staff cancelling for someone, not the person themselves
        audit_log(actor=actor, action="registration.cancelled", obj=registration, changes={"status": "cancelled"})
    if had_place and event.starts_at > timezone.now():
        _fill_free_places(event)
    return registration


def _fill_free_places(event: Event) -> list[Registration]:
    promoted = []
    while _has_free_place(event):
        first = (
            Registration.objects.select_for_update()
            .filter(event=event, status=Registration.Status.WAITING)
            .order_by("queued_at", "pk")
            .first()
        )
        if first is None:
            break
        first.status = Registration.Status.CONFIRMED
        first.save(update_fields=["status"])
        promoted.append(first)
    for person in promoted:
        enqueue(tasks.send_promoted, person.pk)
    return promoted


def registration_from_token(token: str, *, salt: str, max_age: int | None = None) -> Registration:
    """The registration a signed link points to; a forged, changed or expired link raises RegistrationError."""
    try:
        pk = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise RegistrationError(_("This link has expired. Register again on the event's page.")) from None
    except signing.BadSignature:
        raise RegistrationError(
            _("This link is not valid: it may be incomplete or changed. Use the link from your email exactly as it is.")
        ) from None
    registration = Registration.objects.select_related("event").filter(pk=pk).first()
    if registration is None:
        raise RegistrationError(_("This registration no longer exists."))
    return registration


# --- At the door --------------------------------------------------------------------------------


def normalise_code(text: str) -> str:
    """What an organiser types or scans: the code alone, any case, with stray spaces or a full check-in link."""
    code = text.strip().rstrip("/").rsplit("/", 1)[-1]
    return "".join(ch for ch in code.upper() if ch.isalnum())


@transaction.atomic
def registration_check_in(*, event: Event, code: str, actor: User) -> Registration:
    """Mark a registered person as present at the door."""
    _door_open(event)
    registration = Registration.objects.select_for_update().filter(event=event, code=normalise_code(code)).first()
    if registration is None:
        raise RegistrationError(
            _("No registration with code %(code)s for this event.") % {"code": normalise_code(code)}
        )
    if registration.status == Registration.Status.WAITING:
        raise RegistrationError(
            _("%(name)s is on the waiting list, not registered. Count them as a walk-in if there is room.")
            % {"name": registration.name}
        )
    if registration.status != Registration.Status.CONFIRMED:
        raise RegistrationError(
            _("The registration of %(name)s is %(status)s.")
            % {"name": registration.name, "status": registration.get_status_display()}
        )
    if registration.checked_in_at:
        raise RegistrationError(
            _("%(name)s was already checked in at %(time)s.")
            % {
                "name": registration.name,
                "time": time_format(timezone.localtime(registration.checked_in_at), "TIME_FORMAT"),
            }
        )
    registration.checked_in_at = timezone.now()
    registration.save(update_fields=["checked_in_at"])
    audit_log(actor=actor, action="event.check_in", obj=event, changes={"code": registration.code})
    return registration


# --- Helpers ------------------------------------------------------------------------------------


def check_in_opens(event: Event) -> datetime.datetime:
    """The door opens on the day the event starts (local time), or SAMEN_CHECK_IN_DAYS_BEFORE days earlier."""
    day = timezone.localtime(event.starts_at).date() - datetime.timedelta(days=settings.SAMEN_CHECK_IN_DAYS_BEFORE)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _door_open(event: Event, error: type[Exception] = RegistrationError) -> None:
    opens = check_in_opens(event)
    if timezone.now() < opens:
        raise error(
            _("Check-in opens on %(date)s, the day of the event.")
            % {"date": date_format(timezone.localtime(opens).date(), "DATE_FORMAT")}
        )


RESERVED_SLUGS = {"new", "mine", "my-registrations", "registration"}  # paths of the event and campaign pages


def _snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {field: getattr(obj, field) for field in fields}

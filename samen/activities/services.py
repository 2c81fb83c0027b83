"""Every write of activities goes through these functions: pages, admin and demo alike."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samen.activities.models import Activity, InvitationOptOut, Role, RoleInvitation, RoleSignup
from samen.activities.tasks import send_role_invitation
from samen.core import signals
from samen.core.audit import audit_log, model_changes
from samen.core.slugs import unique_slug
from samen.core.tasks import enqueue
from samen.network.models import Member, User

AUDITED_FIELDS = (
    "title",
    "summary",
    "description",
    "societal_impact",
    "lead_organisation_id",
    "website",
    "status",
    "starts_on",
    "ends_on",
    "is_published",
)
M2M_FIELDS = ("partner_organisations", "action_domains", "goals", "challenges", "areas", "indicators")
# An organiser may send this many invitations an hour; a member gets at most this many a week.
INVITATIONS_PER_HOUR = 20
INVITATIONS_PER_MEMBER_WEEK = 3
INVITING_STATUSES = (Activity.Status.PLANNED, Activity.Status.RUNNING)
# Addresses under /activities/ that are pages, not activities.
RESERVED_SLUGS = {"new", "for-me", "who-does-what"}


def _snapshot(activity: Activity) -> dict[str, Any]:
    data = {name: getattr(activity, name) for name in AUDITED_FIELDS}
    if activity.pk:
        for name in M2M_FIELDS:
            data[name] = [str(obj) for obj in getattr(activity, name).all()]
    return data


@transaction.atomic
def activity_save(
    *, activity: Activity, actor: User, fields: dict[str, Any], relations: dict[str, Any], formsets: Sequence[Any] = ()
) -> Activity:
    """Create or change an activity with its relations and needs, all or nothing, and audit it."""
    created = activity.pk is None
    before = {} if created else _snapshot(Activity.objects.get(pk=activity.pk))
    if not created:
        _check_roles_locked(activity, [f for f in formsets if getattr(f, "model", None) is Role])
    for name, value in fields.items():
        setattr(activity, name, value)
    if created and not activity.slug:
        activity.slug = unique_slug(Activity, activity.title, fallback="activity", reserved=RESERVED_SLUGS)
    activity.full_clean()
    activity.save()
    for name, value in relations.items():
        getattr(activity, name).set(value)
    for formset in formsets:
        formset.instance = activity
        formset.save()
    changes = model_changes(before, _snapshot(activity))
    audit_log(actor=actor, action="activity.created" if created else "activity.updated", obj=activity, changes=changes)
    if created:
        transaction.on_commit(lambda: signals.activity_created.send(sender=Activity, activity_id=activity.pk))
    elif activity.is_published and before.get("is_published") is False:  # made public: it and its events are news
        transaction.on_commit(lambda: signals.activity_published.send(sender=Activity, activity_id=activity.pk))
    return activity


def role_taken_words(title: str, taken: int, *, deleting: bool) -> str:
    """Why a role with sign-ups cannot go, or cannot have fewer places than people."""
    values = {"count": taken, "role": title}
    if deleting:
        return (
            ngettext(
                "%(count)s person signed up for “%(role)s”: ask them to leave the role before it is deleted.",
                "%(count)s people signed up for “%(role)s”: ask them to leave the role before it is deleted.",
                taken,
            )
            % values
        )
    return (
        ngettext(
            "%(count)s person signed up for “%(role)s”: there must be at least as many places.",
            "%(count)s people signed up for “%(role)s”: there must be at least as many places.",
            taken,
        )
        % values
    )


def _check_roles_locked(activity: Activity, role_formsets: Sequence[Any]) -> None:
    """Lock the activity's roles, then check the form's deletions and places against the sign-ups.

    The form checked them too, but a sign-up can come in between; `role_signup` takes the same
    lock, so from here on nobody signs up until this save is done. Never delete a sign-up silently."""
    titles = dict(Role.objects.select_for_update().filter(activity=activity).values_list("pk", "title"))
    if not role_formsets or not titles:
        return
    taken = dict(
        RoleSignup.objects.filter(role__activity=activity).order_by().values_list("role").annotate(n=Count("pk"))
    )
    errors = []
    for formset in role_formsets:
        for form in formset.forms:
            pk = form.instance.pk
            if pk not in titles or not taken.get(pk):
                continue
            if form in formset.deleted_forms:
                errors.append(role_taken_words(titles[pk], taken[pk], deleting=True))
            elif form.cleaned_data.get("places", taken[pk]) < taken[pk]:
                errors.append(role_taken_words(titles[pk], taken[pk], deleting=False))
    if errors:
        raise ValidationError(errors)


class SignupRefused(Exception):
    """Why a member cannot take a role, in words for the page."""


@transaction.atomic
def role_signup(*, role: Role, member: Member) -> RoleSignup:
    """Take a place in a role: never more people than places, never twice the same person."""
    # Lock the role so two people cannot take the last place at the same moment.
    role = Role.objects.select_for_update().select_related("activity").get(pk=role.pk)
    if not role.activity.is_published or role.activity.status == Activity.Status.FINISHED:
        raise SignupRefused(_("This activity does not take sign-ups any more."))
    if RoleSignup.objects.filter(role=role, member=member).exists():
        raise SignupRefused(_("You already signed up for this role."))
    if RoleSignup.objects.filter(role=role).count() >= role.places:
        raise SignupRefused(_("This role is full: every place is taken."))
    try:
        with transaction.atomic():
            signup = RoleSignup.objects.create(role=role, member=member)
    except IntegrityError as error:  # the same person twice at the same moment
        raise SignupRefused(_("You already signed up for this role.")) from error
    audit_log(actor=member.user, action="role.signed_up", obj=role, changes={"activity": role.activity.slug})
    transaction.on_commit(lambda: signals.role_signed_up.send(sender=RoleSignup, signup_id=signup.pk))
    return signup


@transaction.atomic
def role_leave(*, role: Role, member: Member) -> bool:
    deleted, _details = RoleSignup.objects.filter(role=role, member=member).delete()
    if deleted:
        audit_log(actor=member.user, action="role.left", obj=role, changes={"activity": role.activity.slug})
    return bool(deleted)


class RoleInvitationRefused(Exception):
    """Why an invitation is not sent, in words for the page."""


@transaction.atomic
def role_invite(*, role: Role, member: Member, actor: User) -> RoleInvitation:
    """Email a member a link to a role, at most once per role, within the rate limits."""
    now = timezone.now()
    # Locked like a sign-up, so the count of places taken holds until the invitation is stored.
    role = Role.objects.select_for_update().select_related("activity").get(pk=role.pk)
    if not role.activity.is_published or role.activity.status not in INVITING_STATUSES:
        raise RoleInvitationRefused(_("Invite people once the activity is published and planned or running."))
    if RoleSignup.objects.filter(role=role).count() >= role.places:
        raise RoleInvitationRefused(_("This role is full: every place is taken."))
    if InvitationOptOut.objects.filter(member=member).exists():
        raise RoleInvitationRefused(_("This member does not want invitations."))
    if RoleInvitation.objects.filter(role=role, member=member).exists():
        raise RoleInvitationRefused(_("This member was already invited to this role."))
    if RoleInvitation.objects.filter(invited_by=actor, created_at__gte=now - datetime.timedelta(hours=1)).count() >= (
        INVITATIONS_PER_HOUR
    ):
        raise RoleInvitationRefused(
            _("You sent %(n)s invitations in the last hour; please wait before sending more.")
            % {"n": INVITATIONS_PER_HOUR}
        )
    recent = RoleInvitation.objects.filter(member=member, created_at__gte=now - datetime.timedelta(days=7)).count()
    if recent >= INVITATIONS_PER_MEMBER_WEEK:
        raise RoleInvitationRefused(_("This member was invited often enough this week; try again later."))
    invitation = RoleInvitation.objects.create(role=role, member=member, invited_by=actor)
    audit_log(actor=actor, action="role.invited", obj=role, changes={"member": member.pk})
    transaction.on_commit(lambda: signals.role_invited.send(sender=RoleInvitation, invitation_id=invitation.pk))
    # Sent after the commit, away from the request: a mail server that is down costs the email, not the page.
    enqueue(send_role_invitation, invitation.pk, translation.get_language() or settings.LANGUAGE_CODE)
    return invitation


@transaction.atomic
def invitations_opt(*, member: Member, wanted: bool) -> None:
    if wanted:
        InvitationOptOut.objects.filter(member=member).delete()
    else:
        InvitationOptOut.objects.get_or_create(member=member)
    audit_log(actor=member.user, action="invitations.opted_in" if wanted else "invitations.opted_out", obj=member)


def activity_dates_validate(starts_on: datetime.date | None, ends_on: datetime.date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date is before the start date.")})

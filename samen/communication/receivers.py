"""What happens in the apps below, told to the people who follow it or must act on it.

The lower apps send the domain signals of `samen.core.signals` from their service functions after
the commit; they never import this app. Why signals here and a periodic job elsewhere: these are
moments (an event was created, a value came back), and the person should hear about them within
seconds; what merely *waits* (values to approve, overdue action items) is a state, read from the data
by the inbox and the digests (see inbox.py), so it is never stale or counted twice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db.models import Case, Exists, OuterRef, Q, Subquery, When
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samen.communication.models import FollowKind, Profile, Topic
from samen.communication.services import followers_notify, users_notify
from samen.core import signals
from samen.core.permissions import BACKBONE
from samen.network.models import User
from samen.network.selectors import editor_memberships


def _texts(render: Callable[[], str]) -> dict[str, str]:
    texts = {}
    for lang in ("nl", "en"):
        with translation.override(lang):
            texts[lang] = render()[:300]
    return texts


def _backbone_ids() -> list[int]:
    return list(
        User.objects.filter(is_active=True, groups__in=Group.objects.filter(name=BACKBONE)).values_list("pk", flat=True)
    )


def _editor_ids(organisation_ids: list[int]) -> list[int]:
    """The partner editors of these organisations (the one rule of `network.selectors.editor_memberships`)."""
    editors = editor_memberships().filter(organisation_id__in=organisation_ids)
    return list(editors.values_list("member__user_id", flat=True).distinct())


@receiver(signals.event_created, dispatch_uid="communication.event_created")
def on_event_created(sender: Any, event_id: int, **kwargs: Any) -> None:
    _event_news(event_id, campaign_only=False)


@receiver(signals.event_published, dispatch_uid="communication.event_published")
def on_event_published(sender: Any, event_id: int, campaign_only: bool = False, **kwargs: Any) -> None:
    """A draft made public is news then; an event the campaign took in later is news to the campaign's followers
    (the others heard of it when it became public)."""
    _event_news(event_id, campaign_only=campaign_only)


def _event_news(event_id: int, *, campaign_only: bool) -> None:
    from samen.activities.events.models import Event

    event = Event.objects.select_related("activity").filter(pk=event_id).first()
    # A draft, or an event of an unpublished activity, is nobody's news yet (it is told when the activity goes public).
    if event is None or not event.is_published or (event.activity_id and not event.activity.is_published):
        return
    targets = []
    if not campaign_only:
        targets.append((FollowKind.ORGANISATION, event.organisation_id))
        if event.activity_id:
            targets.append((FollowKind.ACTIVITY, event.activity_id))
            targets += [(FollowKind.DOMAIN, pk) for pk in event.activity.action_domains.values_list("pk", flat=True)]
            targets += [(FollowKind.AREA, pk) for pk in event.activity.areas.values_list("pk", flat=True)]
    if event.campaign_id and event.campaign_status == Event.CampaignStatus.ACCEPTED:
        targets.append((FollowKind.CAMPAIGN, event.campaign_id))  # only proposed: not part of the campaign yet
    if not targets:
        return
    followers_notify(
        topic=Topic.EVENTS,
        targets=targets,
        texts=_texts(lambda: _("New event: %(title)s") % {"title": event.title}),
        url=event.get_absolute_url(),
        exclude=event.created_by_id,
        key=f"event:{event.pk}",  # who heard of it through the organisation does not hear again through the campaign
    )


def _activity_news(activity_id: int) -> None:
    from samen.activities.models import Activity

    activity = Activity.objects.filter(pk=activity_id, is_published=True).first()
    if activity is None:
        return
    targets = [(FollowKind.ORGANISATION, activity.lead_organisation_id)]
    targets += [(FollowKind.DOMAIN, pk) for pk in activity.action_domains.values_list("pk", flat=True)]
    targets += [(FollowKind.GOAL, pk) for pk in activity.goals.values_list("pk", flat=True)]
    targets += [(FollowKind.CHALLENGE, pk) for pk in activity.challenges.values_list("pk", flat=True)]
    targets += [(FollowKind.AREA, pk) for pk in activity.areas.values_list("pk", flat=True)]
    followers_notify(
        topic=Topic.EVENTS,
        targets=targets,
        texts=_texts(lambda: _("New activity: %(title)s") % {"title": activity.title}),
        url=activity.get_absolute_url(),
        key=f"activity:{activity.pk}",
    )


@receiver(signals.activity_created, dispatch_uid="communication.activity_created")
def on_activity_created(sender: Any, activity_id: int, **kwargs: Any) -> None:
    _activity_news(activity_id)


@receiver(signals.activity_published, dispatch_uid="communication.activity_published")
def on_activity_published(sender: Any, activity_id: int, **kwargs: Any) -> None:
    """An activity made public later is news now, and so are its public events that were held back with it.

    Each announcement has its key, so an activity made private and public again tells nobody twice."""
    from samen.activities.events.models import Event

    _activity_news(activity_id)
    held_back = Event.objects.filter(activity_id=activity_id, is_published=True, ends_at__gt=timezone.now())
    for event_id in held_back.order_by("starts_at").values_list("pk", flat=True):
        _event_news(event_id, campaign_only=False)


@receiver(signals.role_signed_up, dispatch_uid="communication.role_signed_up")
def on_role_signed_up(sender: Any, signup_id: int, **kwargs: Any) -> None:
    from samen.activities.models import RoleSignup

    signup = RoleSignup.objects.select_related("role__activity").filter(pk=signup_id).first()
    if signup is None:
        return
    activity = signup.role.activity
    users_notify(
        topic=Topic.WORK,
        user_ids=_editor_ids([activity.lead_organisation_id]),
        texts=_texts(
            lambda: (
                _("Someone signed up for the role %(role)s in %(activity)s")
                % {"role": signup.role.title, "activity": activity.title}
            )
        ),
        url=activity.get_absolute_url(),
    )


@receiver(signals.role_invited, dispatch_uid="communication.role_invited")
def on_role_invited(sender: Any, invitation_id: int, **kwargs: Any) -> None:
    from samen.communication.inbox import RoleInvitation

    invitation = RoleInvitation.objects.select_related("role__activity", "member").filter(pk=invitation_id).first()
    if invitation is None:
        return
    activity = invitation.role.activity
    users_notify(
        topic=Topic.ROLES,
        user_ids=[invitation.member.user_id],
        texts=_texts(
            lambda: (
                _("You are asked to take the role %(role)s in %(activity)s")
                % {"role": invitation.role.title, "activity": activity.title}
            )
        ),
        url=activity.get_absolute_url(),
    )


@receiver(signals.registration_made, dispatch_uid="communication.registration_made")
def on_registration_made(sender: Any, registration_id: int, **kwargs: Any) -> None:
    from samen.activities.events.models import Registration

    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None:
        return
    event = registration.event
    users_notify(
        topic=Topic.WORK,
        user_ids=_editor_ids([event.organisation_id]),
        # No name: the organiser sees who registered on the event's own page, not in a notification or mail.
        texts=_texts(lambda: _("A new registration for %(event)s") % {"event": event.title}),
        url=event.get_absolute_url(),
    )


@receiver(signals.proposal_answered, dispatch_uid="communication.proposal_answered")
def on_proposal_answered(sender: Any, proposal_id: int, **kwargs: Any) -> None:
    from samen.agenda.models import Proposal

    proposal = Proposal.objects.filter(pk=proposal_id).first()
    if proposal is None:
        return
    users_notify(
        topic=Topic.PROPOSALS,
        user_ids=[proposal.author_id],
        texts=_texts(lambda: _("Your proposal was answered: %(title)s") % {"title": proposal.title}),
        url=proposal.get_absolute_url(),
    )


def _measurements(ids: list[int]) -> Any:
    from samen.measurement.models import Measurement

    return Measurement.objects.filter(pk__in=ids).select_related("indicator")


@receiver(signals.measurements_submitted, dispatch_uid="communication.measurements_submitted")
def on_measurements_submitted(sender: Any, measurement_ids: list[int], **kwargs: Any) -> None:
    if not measurement_ids:
        return
    count = len(measurement_ids)
    users_notify(
        topic=Topic.WORK,
        user_ids=_backbone_ids(),
        texts=_texts(
            lambda: (
                ngettext("%(count)s value waits for your approval", "%(count)s values wait for your approval", count)
                % {"count": count}
            )
        ),
        url="/measurements/approve/",
    )


@receiver(signals.measurements_returned, dispatch_uid="communication.measurements_returned")
def on_measurements_returned(sender: Any, measurement_ids: list[int], **kwargs: Any) -> None:
    by_org: dict[int, list[Any]] = {}
    for m in _measurements(measurement_ids):
        if m.organisation_id:
            by_org.setdefault(m.organisation_id, []).append(m)
    for org_id, rows in by_org.items():
        first = rows[0]
        users_notify(
            topic=Topic.WORK,
            user_ids=_editor_ids([org_id]),
            texts=_texts(
                lambda first=first, rows=rows: (
                    ngettext(
                        "%(count)s value of %(indicator)s was returned: %(reason)s",
                        "%(count)s values of %(indicator)s were returned: %(reason)s",
                        len(rows),
                    )
                    % {"count": len(rows), "indicator": first.indicator.name, "reason": first.comment}
                )
            ),
            url="/measurements/",
        )


@receiver(signals.partner_proposed, dispatch_uid="communication.partner_proposed")
def on_partner_proposed(sender: Any, proposal_id: int, **kwargs: Any) -> None:
    from samen.network.models import PartnerProposal

    proposal = PartnerProposal.objects.filter(pk=proposal_id).first()
    if proposal is None:
        return
    users_notify(
        topic=Topic.WORK,
        user_ids=_backbone_ids(),
        texts=_texts(lambda: _("A partner was proposed: %(name)s") % {"name": proposal.name}),
        url="/partners/proposals/",
    )


@receiver(signals.member_joined, dispatch_uid="communication.member_joined")
def on_member_joined(sender: Any, member_id: int, **kwargs: Any) -> None:
    from samen.network.models import Member

    member = Member.objects.select_related("brought_by").filter(pk=member_id).first()
    if member is None or member.brought_by is None:
        return
    users_notify(
        topic=Topic.NETWORK,
        user_ids=[member.brought_by.user_id],
        # Only that someone joined: who they are is theirs to show on their profile.
        texts=_texts(lambda: _("Someone you brought joined the network. Thank you!")),
        url="/network/",
    )


@receiver(signals.mail_language, dispatch_uid="communication.mail_language")
def on_mail_language(sender: Any, email: str, **kwargs: Any) -> str | None:
    """The "language of my mail" a person keeps on their settings, for the mails core builds (core.mail).

    Anyone can add someone else's address to their account, unverified: so the account whose address it is
    answers first, then one that verified it, then one that only added it (the first account of a rank, for one
    answer on every database). That person without settings answers nothing: the mail takes the page's language."""
    address = EmailAddress.objects.filter(user=OuterRef("pk"), email__iexact=email)
    claim = Case(When(email__iexact=email, then=0), When(Exists(address.filter(verified=True)), then=1), default=2)
    language = Profile.objects.filter(user=OuterRef("pk")).values("language")
    claimants = User.objects.filter(Q(email__iexact=email) | Exists(address)).order_by(claim, "pk")
    return claimants.annotate(mail_language=Subquery(language)).values_list("mail_language", flat=True).first()

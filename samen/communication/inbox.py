"""One inbox: everything waiting for a person, gathered from the apps below (each a count and a page).

Built from the data rather than from signals: what waits is a state (values submitted, proposals
open), not an event, so it is always right, also for work that was waiting before this app existed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen.activities.events.models import Event
from samen.activities.models import RoleInvitation, RoleSignup
from samen.agenda.models import Proposal
from samen.core.permissions import BACKBONE, PARTNER_EDITORS, group_names
from samen.measurement.models import Measurement
from samen.network.models import Membership, PartnerProposal
from samen.network.selectors import editor_memberships


@dataclass(frozen=True)
class Waiting:
    key: str
    label: str
    count: int
    url: str


LABELS = {
    "values_to_approve": _("Values waiting for your approval"),
    "open_proposals": _("Proposals without an answer"),
    "partner_proposals": _("Proposed partners to decide on"),
    "campaign_proposals": _("Events proposed for a campaign"),
    "overdue_action_items": _("Action items overdue"),
    "confirmations": _("Roles at your organisation to confirm"),
    "event_proposals": _("Your events proposed for a campaign, waiting for an answer"),
    "returned_values": _("Values returned to your organisation"),
    "my_action_items": _("Action items of your organisation overdue"),
    "role_invitations": _("Roles you were asked to take"),
}
URLS = {
    "values_to_approve": "measurement:approve",
    "open_proposals": "agenda:proposals",
    "partner_proposals": "network:partner_proposals",
    "campaign_proposals": "events:calendar",
    "overdue_action_items": "communication:action_items",
    "confirmations": "network:profile",
    "event_proposals": "events:events_mine",
    "returned_values": "measurement:mine",
    "my_action_items": "communication:action_items",
    "role_invitations": "activities:for_me",
}


def _waiting(counts: dict[str, int]) -> list[Waiting]:
    return [Waiting(key, str(LABELS[key]), count, reverse(URLS[key])) for key, count in counts.items() if count]


def backbone_counts() -> dict[str, int]:
    """What waits for every coordinator; the same for all of them, so counted once per digest run."""
    from samen.communication.models import ActionItem

    return {
        "values_to_approve": Measurement.objects.filter(status=Measurement.Status.SUBMITTED).count(),
        "open_proposals": Proposal.objects.filter(status=Proposal.Status.OPEN, is_hidden=False).count(),
        "partner_proposals": PartnerProposal.objects.filter(status=PartnerProposal.Status.PENDING).count(),
        "campaign_proposals": Event.objects.filter(campaign_status=Event.CampaignStatus.PROPOSED).count(),
        "overdue_action_items": ActionItem.objects.overdue().count(),
    }


def waiting_for_users(users: Iterable[Any], *, backbone: dict[str, int] | None = None) -> dict[int, list[Waiting]]:
    """Everything waiting, for many people at once, in a fixed number of queries."""
    from samen.communication.models import ActionItem

    users = list(users)
    ids = [u.pk for u in users]
    if len(users) == 1:
        # One person (the menu's count): their groups as the page's permission checks read them, no query of
        # its own; someone outside `partner-editors` edits nothing, so their memberships are not read either.
        names = group_names(users[0])
        in_backbone = set(ids) if BACKBONE in names else set()
        may_edit = ids if PARTNER_EDITORS in names else []
    else:
        in_backbone = set(
            Group.user_set.through.objects.filter(user_id__in=ids, group__name=BACKBONE).values_list(
                "user_id", flat=True
            )
        )
        may_edit = ids
    # What each person edits, by the one rule (network.selectors.editor_memberships), for all of them at once.
    edits: dict[int, list[int]] = defaultdict(list)
    if may_edit:
        for user_id, org_id in (
            editor_memberships().filter(member__user_id__in=may_edit).values_list("member__user_id", "organisation_id")
        ):
            edits[user_id].append(org_id)
    orgs = {org for org_ids in edits.values() for org in org_ids}
    # Most people edit no organisation: their page then skips building these four querysets (an empty
    # IN makes no query anyway; building and compiling one costs about 0.6 ms of CPU).
    confirmations: dict[int, int] = {}
    returned: dict[int, int] = {}
    proposed: dict[int, int] = {}
    overdue: dict[int, int] = {}
    if orgs:
        confirmations = dict(
            # As the organisation's page lists them (network.selectors.organisation_people_to_confirm): active people.
            Membership.objects.filter(organisation_id__in=orgs, is_confirmed=False, member__user__is_active=True)
            .values_list("organisation_id")
            .annotate(n=Count("pk"))
        )
        returned = dict(
            Measurement.objects.filter(organisation_id__in=orgs, status=Measurement.Status.RETURNED)
            .values_list("organisation_id")
            .annotate(n=Count("pk"))
        )
        # Proposals for their events: events of theirs, not over, proposed for a campaign the backbone has not answered.
        proposed = dict(
            Event.objects.filter(
                organisation_id__in=orgs, campaign_status=Event.CampaignStatus.PROPOSED, ends_at__gte=timezone.now()
            )
            .values_list("organisation_id")
            .annotate(n=Count("pk"))
        )
        overdue = dict(
            ActionItem.objects.overdue()
            .filter(owner_organisation_id__in=orgs)
            .values_list("owner_organisation_id")
            .annotate(n=Count("pk"))
        )
    signed_up = RoleSignup.objects.filter(role_id=OuterRef("role_id"), member_id=OuterRef("member_id"))
    invitations = dict(
        RoleInvitation.objects.filter(member__user_id__in=ids, role__activity__is_published=True)
        .filter(~Exists(signed_up))
        .values_list("member__user_id")
        .annotate(n=Count("pk"))
    )
    if backbone is None and any(u.is_superuser or u.pk in in_backbone for u in users):
        backbone = backbone_counts()
    found: dict[int, list[Waiting]] = {}
    for user in users:
        counts: dict[str, int] = {}
        if user.is_superuser or user.pk in in_backbone:
            counts.update(backbone or {})
        mine = edits.get(user.pk)
        if mine:
            counts["confirmations"] = sum(confirmations.get(o, 0) for o in mine)
            counts["event_proposals"] = sum(proposed.get(o, 0) for o in mine)
            counts["returned_values"] = sum(returned.get(o, 0) for o in mine)
            counts["my_action_items"] = sum(overdue.get(o, 0) for o in mine)
        counts["role_invitations"] = invitations.get(user.pk, 0)
        found[user.pk] = _waiting(counts)
    return found


def waiting_for(user: Any) -> list[Waiting]:
    if not user.is_authenticated:
        return []
    return waiting_for_users([user])[user.pk]

"""Who may do what with call campaigns and telephone circles, in one place (on top of care's rules).

- Campaigns are set up by the backbone (any network: settings and counts, never a resident) or by
  the care network's coordinator (their network).
- A caller is a member of the campaign's network with the care role, pledged (care's pledge), and
  listed among the campaign's callers; they see only the people of their own batch.
- The lists that name residents by reference (data quality, follow-ups, debriefs) and telephone
  circles are for the network coordinator; a circle's key holder sees their circle."""

from __future__ import annotations

from typing import Any

from samen.calls.models import CallCampaign, TelephoneCircle
from samen.care import access as care_access
from samen.care.models import CareNetwork
from samen.core.permissions import is_backbone, is_care_network_member


def uses_calls(user: Any) -> bool:
    """May open the call pages at all (what they see is narrowed per campaign)."""
    return bool(is_care_network_member(user) or is_backbone(user))


def _network_id(obj: CallCampaign | TelephoneCircle | CareNetwork | int) -> int:
    if isinstance(obj, int):
        return obj
    if isinstance(obj, CareNetwork):
        return obj.pk
    return obj.network_id


def coordinates(user: Any, network: CallCampaign | TelephoneCircle | CareNetwork | int) -> bool:
    return care_access.coordinates(user, _network_id(network))


def manages(user: Any, campaign: CallCampaign | CareNetwork | int) -> bool:
    """Creates and changes a campaign, reads its dashboard of counts."""
    return bool(is_backbone(user) or coordinates(user, campaign))


def calls_for(user: Any, campaign: CallCampaign) -> bool:
    """A caller of this campaign: pledged member of its network, listed among its callers."""
    if care_access.membership(user, campaign.network_id) is None:
        return False
    ids: set[int] | None = getattr(campaign, "_caller_ids", None)
    if ids is None:
        ids = set(campaign.callers.values_list("pk", flat=True))
        campaign._caller_ids = ids  # type: ignore[attr-defined]
    return user.pk in ids


def listed_caller(user: Any, campaign: CallCampaign) -> bool:
    """Listed among the callers, pledged or not (the pledge page is for them)."""
    return bool(is_care_network_member(user) and campaign.callers.filter(pk=user.pk).exists())


def sees_campaign(user: Any, campaign: CallCampaign) -> bool:
    return manages(user, campaign) or listed_caller(user, campaign)


def sees_circle(user: Any, circle: TelephoneCircle) -> bool:
    if care_access.membership(user, circle.network_id) is None:
        return False
    return bool(circle.key_holder_id == user.pk or coordinates(user, circle))

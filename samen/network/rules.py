"""Object rules of the network, and the one rule every app uses for "who edits this organisation"."""

from collections.abc import Callable
from typing import Any

import rules

from samen.core.permissions import is_backbone, is_partner_editor


def edits_organisation_of(organisation_of: Callable[[Any], Any]) -> rules.Predicate:
    """A predicate on (user, obj): the user is an editor at the organisation `organisation_of(obj)`
    (an activity's lead organisation, an event's organiser, an indicator's steward, ...)."""

    def edits(user: Any, obj: Any) -> bool:
        if obj is None or not user.is_authenticated:
            return False
        organisation = organisation_of(obj)
        if organisation is None:
            return False
        return organisation.memberships.filter(member__user=user, is_editor=True).exists()

    return rules.predicate(edits)


edits_organisation = edits_organisation_of(lambda organisation: organisation)

rules.add_perm("network.edit_organisation", is_backbone | (is_partner_editor & edits_organisation))
# The backbone decides on proposed partners and sees the full growth dashboard.
rules.add_perm("network.decide_partner_proposal", is_backbone)
rules.add_perm("network.view_growth", is_backbone)

"""Object rules of the network, and the one rule every app uses for "who edits this organisation"."""

from collections.abc import Callable
from typing import Any

import rules

from samen.core.permissions import is_backbone, is_partner_editor
from samen.network.selectors import organisations_edited_by


def edits_organisation_of(organisation_of: Callable[[Any], Any]) -> rules.Predicate:
    """A predicate on (user, obj): the user may edit the organisation `organisation_of(obj)` (an activity's lead
    organisation, an event's organiser, an indicator's steward, a working group's convener, ...). The backbone
    (coordinators and admins) may edit every one; anyone else only as a partner editor there: in the group
    `partner-editors` and an editor membership, as `network.selectors.organisations_edited_by` lists them."""

    def partner_editor_at(user: Any, obj: Any) -> bool:
        organisation = None if obj is None else organisation_of(obj)
        if organisation is None:
            return False
        return organisations_edited_by(user).filter(pk=organisation.pk).exists()

    # The group first: it is known on the user, so nobody outside it costs a query (or `organisation_of`'s read).
    return is_backbone | (is_partner_editor & rules.predicate(partner_editor_at))


edits_organisation = edits_organisation_of(lambda organisation: organisation)


@rules.predicate
def edits_some_organisation(user: Any) -> bool:
    return organisations_edited_by(user).exists()


# The backbone, or a partner editor of at least one organisation: who may start an activity, an event, a figure.
edits_an_organisation = is_backbone | edits_some_organisation

rules.add_perm("network.edit_organisation", edits_organisation)
# The backbone decides on proposed partners and sees the full growth dashboard.
rules.add_perm("network.decide_partner_proposal", is_backbone)
rules.add_perm("network.view_growth", is_backbone)

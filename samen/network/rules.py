"""Object rules of the network: who may edit which organisation."""

from typing import Any

import rules

from samen.core.permissions import is_backbone, is_partner_editor


@rules.predicate
def edits_organisation(user: Any, organisation: Any) -> bool:
    if organisation is None or not user.is_authenticated:
        return False
    return organisation.memberships.filter(member__user=user, is_editor=True).exists()


rules.add_perm("network.edit_organisation", is_backbone | (is_partner_editor & edits_organisation))
# The backbone decides on proposed partners and sees the full growth dashboard.
rules.add_perm("network.decide_partner_proposal", is_backbone)
rules.add_perm("network.view_growth", is_backbone)

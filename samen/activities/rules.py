"""Who may do what with activities: the lead organisation's editors and the backbone edit them."""

from typing import Any

import rules

from samen.core.permissions import is_backbone, is_partner_editor


@rules.predicate
def edits_lead_organisation(user: Any, activity: Any) -> bool:
    if activity is None or not user.is_authenticated:
        return False
    return activity.lead_organisation.memberships.filter(member__user=user, is_editor=True).exists()


# Start an activity at all (for which organisation is narrowed by the form's choices).
rules.add_perm("activities.create_activity", is_backbone | is_partner_editor)
# Edit an activity, see who signed up for its roles, and invite members who fit.
rules.add_perm("activities.edit_activity", is_backbone | (is_partner_editor & edits_lead_organisation))

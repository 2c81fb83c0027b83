"""Who may do what with activities: the lead organisation's editors and the backbone edit them."""

import rules

from samen.network.rules import edits_an_organisation, edits_organisation_of

edits_lead_organisation = edits_organisation_of(lambda activity: activity.lead_organisation)


# Start an activity at all (for which organisation is narrowed by the form's choices).
rules.add_perm("activities.create_activity", edits_an_organisation)
# Edit an activity, see who signed up for its roles, and invite members who fit.
rules.add_perm("activities.edit_activity", edits_lead_organisation)

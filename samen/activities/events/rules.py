"""Who may do what with campaigns and events: the backbone runs campaigns, the organiser's editors run events."""

import rules

from samen.core.permissions import is_backbone
from samen.network.rules import edits_an_organisation, edits_organisation_of

edits_organiser = edits_organisation_of(lambda event: event.organisation)


# Create, edit, accept or decline campaigns and the events proposed to them.
rules.add_perm("activities.manage_campaigns", is_backbone)
# Open the "new event" form at all (for which organisations is decided in the form).
rules.add_perm("activities.create_event", edits_an_organisation)
# Edit an event, see its registrations and check people in at the door.
rules.add_perm("activities.manage_event", edits_organiser)

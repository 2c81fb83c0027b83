"""Who may do what with measurements: the steward's editors submit, the backbone approves."""

import rules

from samen.core.permissions import is_backbone
from samen.network.rules import edits_an_organisation, edits_organisation_of

edits_steward = edits_organisation_of(lambda indicator: indicator.steward)


# Submit measurements and write the story behind the curve for an indicator.
rules.add_perm("measurement.submit_for_indicator", edits_steward)
# See the figures that small-count protection hides from the public.
rules.add_perm("measurement.see_small_counts", edits_steward)
rules.add_perm("measurement.approve", is_backbone)
# Open the steward's pages at all (which indicators then depends on the organisation).
rules.add_perm("measurement.enter_values", edits_an_organisation)

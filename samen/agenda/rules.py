"""Object rules of the agenda: who may propose, edit, answer, moderate and publish."""

from typing import Any

import rules

from samen.core.permissions import is_backbone


@rules.predicate
def is_proposal_author(user: Any, proposal: Any) -> bool:
    return proposal is not None and user.is_authenticated and proposal.author_id == user.pk


@rules.predicate
def proposal_is_editable(user: Any, proposal: Any) -> bool:
    # Once answered or hidden, a proposal stays as the backbone saw it.
    return proposal is not None and proposal.is_open and not proposal.is_hidden


rules.add_perm("agenda.propose", rules.is_authenticated & rules.is_active)
rules.add_perm("agenda.edit_proposal", is_proposal_author & proposal_is_editable)
rules.add_perm("agenda.answer_proposal", is_backbone)
rules.add_perm("agenda.moderate", is_backbone)
rules.add_perm("agenda.tell_story", rules.is_authenticated & rules.is_active)
rules.add_perm("agenda.review_story", is_backbone)
rules.add_perm("agenda.curate_challenge", is_backbone)

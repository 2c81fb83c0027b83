"""One rule for "who edits this organisation", used by every app through a predicate factory."""

from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser

from samen.network.rules import edits_organisation, edits_organisation_of
from samen.network.selectors import editable_organisations, organisations_edited_by

edits_owner = edits_organisation_of(lambda thing: thing.owner)


def test_an_editor_edits_what_belongs_to_their_organisation_and_nothing_else(editor, member, org, other_org):
    assert edits_organisation(editor, org) and edits_owner(editor, SimpleNamespace(owner=org))
    assert not edits_owner(editor, SimpleNamespace(owner=other_org))
    assert not edits_owner(member, SimpleNamespace(owner=org))
    assert not edits_owner(AnonymousUser(), SimpleNamespace(owner=org))
    assert not edits_owner(editor, None) and not edits_owner(editor, SimpleNamespace(owner=None))


def test_the_backbone_may_edit_every_organisation_but_edits_only_its_own(coordinator, editor, org, other_org):
    assert list(editable_organisations(coordinator)) == sorted([org, other_org], key=lambda o: o.name)
    assert list(organisations_edited_by(coordinator)) == []
    assert list(editable_organisations(editor)) == list(organisations_edited_by(editor)) == [org]
    assert list(editable_organisations(AnonymousUser())) == []

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


def test_the_selector_the_predicate_and_the_permission_give_one_answer_for_everyone(
    editor, member, coordinator, admin_user, org, other_org, make_user
):
    """Who edits what, asked three ways, for every kind of person: the same answer (architecture.md, "Roles")."""
    from samen.core.permissions import PARTNER_EDITORS
    from samen.core.tests.factories import make_former_editor
    from samen.network.models import Membership, User

    group_only = make_user(groups=[PARTNER_EDITORS])  # in the group, editor of nothing
    closed = make_user(groups=[PARTNER_EDITORS])  # an editor whose account was closed
    Membership.objects.create(member=closed.member, organisation=org, is_editor=True)
    closed.is_active = False
    closed.save()
    people = {
        "visitor": (AnonymousUser(), set()),
        "member": (member, set()),
        "editor": (editor, {org}),
        "former editor": (make_former_editor(org), set()),
        "group only": (group_only, set()),
        "closed account": (closed, set()),
        "coordinator": (coordinator, {org, other_org}),
        "admin": (admin_user, {org, other_org}),
    }
    for name, (person, edits) in people.items():
        person = User.objects.get(pk=person.pk) if person.pk else person  # no groups cached on the object
        assert set(editable_organisations(person)) == edits, name
        assert {o for o in (org, other_org) if edits_organisation(person, o)} == edits, name
        assert {o for o in (org, other_org) if person.has_perm("network.edit_organisation", o)} == edits, name
        assert set(organisations_edited_by(person)) == (edits if name == "editor" else set()), name


def test_working_there_is_a_confirmed_role_or_an_editor_membership_even_out_of_the_group(
    editor, member, org, other_org, make_user
):
    """`standing_memberships`: "works there" for meetings, action items and surveys; not the editor rule."""
    from samen.core.tests.factories import make_former_editor
    from samen.network.models import Membership
    from samen.network.selectors import standing_memberships

    confirmed = Membership.objects.create(member=member.member, organisation=org, is_confirmed=True)
    claimed = Membership.objects.create(member=member.member, organisation=other_org)  # only on the profile
    former = make_former_editor(other_org).member.memberships.get()
    standing = set(standing_memberships())
    assert confirmed in standing and former in standing and editor.member.memberships.get() in standing
    assert claimed not in standing

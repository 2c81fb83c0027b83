"""Renaming a model keeps what names it elsewhere valid: audit entries, permissions, content types and
admin history, forward and back (network.Invitation → JoinInvitation, activities.Invitation → RoleInvitation;
issue 10)."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from samen.core.models import AuditEntry
from samen.core.tests.factories import make_admin

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("transactional_db")]

NETWORK = ("network", "0005_member_show_publicly_label", "0006_rename_invitation_joininvitation", "joininvitation")
ACTIVITIES = (
    "activities",
    "0004_rename_invitation_roleinvitation",
    "0005_role_invitation_stored_names",
    "roleinvitation",
)


def _migrate(app: str, name: str) -> None:
    call_command("migrate", app, name, verbosity=0)
    ContentType.objects.clear_cache()


@pytest.mark.parametrize(
    ("app", "before", "after", "new", "stale"),
    [(*NETWORK, False), (*NETWORK, True), (*ACTIVITIES, False)],
    ids=["network", "network-after-a-roll-back", "activities"],
)
def test_the_rename_carries_audit_entries_permissions_and_groups(app, before, after, new, stale):
    call_command("migrate", verbosity=0)  # the permissions exist (post_migrate), as on a running site
    try:
        _migrate(app, before)
        group = _check_the_rename(app, after, new, stale=stale)
        _check_the_way_back(app, before, new, group)
    finally:
        _migrate(app, after)  # the schema the other tests expect


def _check_the_rename(app: str, after: str, new: str, *, stale: bool) -> Group:
    old_view = Permission.objects.get(content_type__app_label=app, codename="view_invitation")
    old_change = Permission.objects.get(content_type__app_label=app, codename="change_invitation")
    content_type = old_view.content_type_id
    if not stale:
        # Migrating back with today's code makes a second content type under the new name (post_migrate
        # reads the code's models); a site that never had the new code has only the old one. With
        # `stale` it stays, as after a roll-back made with the new release: Django then keeps the old one.
        ContentType.objects.filter(app_label=app, model=new).exclude(pk=content_type).delete()
    # What a live site holds: an audit entry naming the old model, a group given the old permissions,
    # admin history, and (after an earlier deploy's post_migrate) one permission made under the new name.
    AuditEntry.objects.create(action="withdraw", object_type=f"{app}.invitation", object_id="7")
    AuditEntry.objects.create(action="other", object_type=f"{app}.invitationoptout", object_id="8")
    group = Group.objects.create(name="invitation-readers")
    group.permissions.add(old_view, old_change)
    premade, _ = Permission.objects.get_or_create(
        content_type_id=content_type, codename=f"change_{new}", defaults={"name": "Can change"}
    )
    Permission.objects.filter(content_type_id=content_type, codename=f"view_{new}").delete()
    history = LogEntry.objects.create(
        user=make_admin(), content_type_id=content_type, object_id="7", object_repr="x", action_flag=2
    )

    _migrate(app, after)

    assert set(AuditEntry.objects.values_list("object_type", flat=True)) == {f"{app}.{new}", f"{app}.invitationoptout"}
    assert not ContentType.objects.filter(app_label=app, model="invitation").exists()
    kept = ContentType.objects.get(app_label=app, model=new)
    assert set(group.permissions.values_list("codename", "content_type")) == {
        (f"view_{new}", kept.pk),
        (f"change_{new}", kept.pk),
    }
    assert not Permission.objects.filter(content_type__app_label=app, codename__endswith="_invitation").exists()
    assert LogEntry.objects.get(pk=history.pk).content_type_id == kept.pk
    if not stale:
        assert kept.pk == content_type  # renamed in place
        assert group.permissions.get(codename=f"change_{new}") == premade  # the old one's group moved over
        assert group.permissions.get(codename=f"view_{new}").pk == old_view.pk
    return group


def _check_the_way_back(app: str, before: str, new: str, group: Group) -> None:
    AuditEntry.objects.create(action="withdraw", object_type=f"{app}.{new}", object_id="9")
    _migrate(app, before)
    assert set(AuditEntry.objects.values_list("object_type", "object_id")) == {
        (f"{app}.invitation", "7"),
        (f"{app}.invitation", "9"),
        (f"{app}.invitationoptout", "8"),
    }
    assert set(group.permissions.values_list("codename", flat=True)) == {"view_invitation", "change_invitation"}

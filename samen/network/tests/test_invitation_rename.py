"""Renaming a model keeps what names it elsewhere valid: audit entries, permissions, content types
(network.Invitation → JoinInvitation, activities.Invitation → RoleInvitation; issue 10)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from samen.core.models import AuditEntry

pytestmark = pytest.mark.usefixtures("transactional_db")

RENAMES = [
    ("network", "0005_member_show_publicly_label", "0006_rename_invitation_joininvitation", "joininvitation"),
    ("activities", "0004_rename_invitation_roleinvitation", "0005_role_invitation_stored_names", "roleinvitation"),
]


def _migrate(app: str, name: str) -> None:
    call_command("migrate", app, name, verbosity=0)
    ContentType.objects.clear_cache()


@pytest.mark.parametrize(("app", "before", "after", "new"), RENAMES)
def test_the_rename_carries_audit_entries_permissions_and_groups(app, before, after, new):
    call_command("migrate", verbosity=0)  # the permissions exist (post_migrate), as on a running site
    try:
        _migrate(app, before)
        _check_the_rename(app, after, new)
    finally:
        _migrate(app, after)  # the schema the other tests expect


def _check_the_rename(app: str, after: str, new: str) -> None:
    old_view = Permission.objects.get(content_type__app_label=app, codename="view_invitation")
    old_change = Permission.objects.get(content_type__app_label=app, codename="change_invitation")
    content_type = old_view.content_type_id
    # Migrating back with today's code makes a second content type under the new name (post_migrate
    # reads the code's models); a site that never had the new code has only the old one.
    ContentType.objects.filter(app_label=app, model=new).exclude(pk=content_type).delete()
    # What a live site holds: an audit entry naming the old model, a group given the old permissions,
    # and (after an earlier deploy's post_migrate) one permission already made under the new name.
    AuditEntry.objects.create(action="withdraw", object_type=f"{app}.invitation", object_id="7")
    AuditEntry.objects.create(action="other", object_type=f"{app}.invitationoptout", object_id="8")
    group = Group.objects.create(name="invitation-readers")
    group.permissions.add(old_view, old_change)
    premade, _ = Permission.objects.get_or_create(
        content_type_id=content_type, codename=f"change_{new}", defaults={"name": "Can change"}
    )
    Permission.objects.filter(content_type_id=content_type, codename=f"view_{new}").delete()

    _migrate(app, after)

    assert set(AuditEntry.objects.values_list("object_type", flat=True)) == {f"{app}.{new}", f"{app}.invitationoptout"}
    assert ContentType.objects.get_for_id(content_type).model == new
    assert set(group.permissions.values_list("codename", flat=True)) == {f"view_{new}", f"change_{new}"}
    assert group.permissions.get(codename=f"change_{new}") == premade  # the old one's group moved over
    assert group.permissions.get(codename=f"view_{new}").pk == old_view.pk  # renamed in place
    assert not Permission.objects.filter(content_type_id=content_type, codename__endswith="_invitation").exists()

"""For a migration that renames a model: the names stored outside the model's own table.

Django's RenameModel renames the table, and the content type in place (same id, so admin log entries
and permission rows stay attached). Two stored names still say the old model: audit entries
(`object_type` is the model's label, e.g. `network.invitation`) and permission codenames
(`view_invitation`). `stored_names_renamed` moves both; a permission Django has already made under
the new name (post_migrate after an earlier rename) takes over the old one's groups and users."""

from __future__ import annotations

from typing import Any


def stored_names_renamed(apps: Any, app_label: str, old: str, new: str) -> None:
    """In a RunPython after the RenameModel: `old` and `new` are model names in lower case."""
    AuditEntry = apps.get_model("core", "AuditEntry")  # noqa: N806 (a model class)
    Permission = apps.get_model("auth", "Permission")  # noqa: N806
    AuditEntry.objects.filter(object_type=f"{app_label}.{old}").update(object_type=f"{app_label}.{new}")
    _one_content_type(apps, app_label, old, new)
    permissions = Permission.objects.filter(content_type__app_label=app_label, content_type__model__in=[old, new])
    for permission in permissions:
        action, _, model = permission.codename.partition("_")
        if model != old:
            continue
        renamed = Permission.objects.filter(content_type=permission.content_type, codename=f"{action}_{new}").first()
        if renamed is None:
            permission.codename = f"{action}_{new}"
            permission.save(update_fields=["codename"])
            continue
        for group in permission.group_set.all():
            group.permissions.add(renamed)
        for user in permission.user_set.all():
            user.user_permissions.add(renamed)
        permission.delete()


def _one_content_type(apps: Any, app_label: str, old: str, new: str) -> None:
    """When the new code's post_migrate ran before this migration (a roll-back made with the new release),
    a content type under the new name exists already and Django leaves the old one as it was. Everything
    on the old one (permissions, admin history) moves to the new one, and the old one goes, so that
    `remove_stale_contenttypes` later finds nothing of value to delete."""
    ContentType = apps.get_model("contenttypes", "ContentType")  # noqa: N806
    Permission = apps.get_model("auth", "Permission")  # noqa: N806
    stale = ContentType.objects.filter(app_label=app_label, model=old).first()
    current = ContentType.objects.filter(app_label=app_label, model=new).first()
    if stale is None or current is None:
        return
    for permission in Permission.objects.filter(content_type=stale):
        action, _, model = permission.codename.partition("_")
        codename = f"{action}_{new}" if model == old else permission.codename
        kept = Permission.objects.filter(content_type=current, codename=codename).first()
        if kept is None:
            permission.content_type, permission.codename = current, codename
            permission.save(update_fields=["content_type", "codename"])
            continue
        for group in permission.group_set.all():
            group.permissions.add(kept)
        for user in permission.user_set.all():
            user.user_permissions.add(kept)
        permission.delete()
    try:
        LogEntry = apps.get_model("admin", "LogEntry")  # noqa: N806
    except LookupError:
        pass  # the admin is not installed
    else:
        LogEntry.objects.filter(content_type=stale).update(content_type=current)
    stale.delete()

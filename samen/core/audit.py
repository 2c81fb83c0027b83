"""Writing audit entries: called from service functions, inside their transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from samen.core.models import AuditEntry


def audit_log(*, actor: Any, action: str, obj: models.Model | None = None, changes: dict | None = None) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        changes=changes or {},
    )


def model_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields that differ, as {field: [old, new]}, in a form JSON can hold."""
    return {k: [_plain(before.get(k)), _plain(after.get(k))] for k in after if before.get(k) != after.get(k)}


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple, set)):
        return sorted(str(v) for v in value)
    return str(value)

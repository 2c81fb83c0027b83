"""The role groups of DESIGN.md, kept in step with the apps after every migrate."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

from samen.core.permissions import BACKBONE, ROLE_GROUPS


def ensure_role_groups(**kwargs: Any) -> None:
    """Create the role groups; give the backbone every permission of the apps it curates.

    An app says it is curated by the backbone with `curated_by_backbone = True` on its AppConfig."""
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)
    curated = [c for c in apps.get_app_configs() if getattr(c, "curated_by_backbone", False)]
    for config in curated:
        create_permissions(config, verbosity=0)  # they may not exist yet on a first migrate
    permissions = Permission.objects.filter(content_type__app_label__in=[c.label for c in curated]) | (
        Permission.objects.filter(content_type__app_label="core", codename="view_auditentry")
    )
    Group.objects.get(name=BACKBONE).permissions.add(*permissions)

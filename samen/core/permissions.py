"""The roles of DESIGN.md. Groups grant a role; object rules (in each app's rules.py) narrow it."""

from typing import Any

import rules

BACKBONE = "backbone-coordinators"
PARTNER_EDITORS = "partner-editors"
CARE_NETWORK = "care-network-members"
# Reads the care app's audit trails (who saw or changed what of a resident), not the residents' data.
DATA_PROTECTION = "data-protection-officers"
ROLE_GROUPS = (BACKBONE, PARTNER_EDITORS, CARE_NETWORK, DATA_PROTECTION)


@rules.predicate
def is_backbone(user: Any) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or _in_group(user, BACKBONE)


@rules.predicate
def is_partner_editor(user: Any) -> bool:
    return user.is_authenticated and user.is_active and _in_group(user, PARTNER_EDITORS)


@rules.predicate
def is_care_network_member(user: Any) -> bool:
    return user.is_authenticated and user.is_active and _in_group(user, CARE_NETWORK)


@rules.predicate
def is_data_protection_officer(user: Any) -> bool:
    return user.is_authenticated and user.is_active and _in_group(user, DATA_PROTECTION)


def _in_group(user: Any, name: str) -> bool:
    return name in group_names(user)


def group_names(user: Any) -> set[str]:
    """The names of the person's groups, read once per request: kept on the user object, since
    permission checks and the menu's counts ask many times per page."""
    cache = getattr(user, "_samen_groups", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._samen_groups = cache
    return cache


def needs_second_factor(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.is_staff or is_backbone(user)))


def page_for(rule: Any) -> Any:
    """A view decorator for the pages of one kind of role: signed in (else to the sign-in page), never
    cached (the pages hold personal data), and allowed by `rule(user)` (else 403). Care and calls use it."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required
    from django.core.exceptions import PermissionDenied
    from django.views.decorators.cache import never_cache

    def decorator(view: Any) -> Any:
        @never_cache
        @login_required
        @wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not rule(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

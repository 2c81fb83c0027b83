"""`{% load communication %}{% follow_button obj %}`: the Follow button the lower apps' pages can show
without importing communication (the template loads the tag; the Python code of those apps never sees it)."""

from __future__ import annotations

from typing import Any

from django import template

from samen.communication.models import FOLLOW_MODELS, Follow

register = template.Library()
KINDS = {model: kind for kind, model in FOLLOW_MODELS.items()}


@register.inclusion_tag("communication/_follow_button.html", takes_context=True)
def follow_button(context: Any, obj: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    kind = KINDS.get(type(obj))
    if kind is None or obj is None:
        return {"show": False}
    following = bool(
        user is not None
        and user.is_authenticated
        and Follow.objects.filter(user=user, kind=kind, object_id=obj.pk).exists()
    )
    return {
        "show": True,
        "signed_in": bool(user and user.is_authenticated),
        "kind": kind,
        "obj": obj,
        "following": following,
        "next": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("communication/_profile_box.html", takes_context=True)
def communication_box(context: Any) -> dict[str, Any]:
    """The profile's box: what I follow, how I hear about it, and my newsletter consent with its date."""
    from samen.communication.models import Profile

    request = context.get("request")
    user = getattr(request, "user", None)
    profile = Profile.objects.filter(user=user).first() if user is not None and user.is_authenticated else None
    return {"profile": profile}

from typing import Any

from django.http import HttpRequest

from samen.care import access


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Whether the menu shows "Care networks": only to the roles that use them."""
    user = getattr(request, "user", None)
    return {"care_menu": bool(user is not None and access.uses_care(user))}

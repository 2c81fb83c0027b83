from typing import Any

from django.http import HttpRequest


def counts(request: HttpRequest) -> dict[str, Any]:
    """The header's two counts for a signed-in person: unread notifications and work waiting (lazy: only if shown)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def unread() -> int:
        from samen.communication.models import Notification

        return Notification.objects.filter(user=user, read_at__isnull=True).count()

    def waiting() -> int:
        from samen.communication.inbox import waiting_for

        return sum(w.count for w in waiting_for(user))

    return {"unread_notifications": unread, "inbox_count": waiting}

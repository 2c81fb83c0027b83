from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from samen.core.menu import MenuEntry, signed_in


def _unread(request: Any) -> int:
    from samen.communication.models import Notification

    return Notification.objects.filter(user=request.user, read_at__isnull=True).count()


def _waiting(request: Any) -> int:
    from samen.communication.inbox import waiting_for

    return sum(w.count for w in waiting_for(request.user))


class CommunicationConfig(AppConfig):
    name = "samen.communication"
    label = "communication"
    verbose_name = _("Communication")
    curated_by_backbone = True
    menu = (
        MenuEntry(
            _("News"),
            "communication:news",
            order=65,
            group="take-part",
            views=(
                "communication:news",
                "communication:news_item",
                "communication:news_new",
                "communication:news_edit",
            ),
        ),
        MenuEntry(
            _("Notifications"),
            "communication:notifications",
            order=85,
            group="mine",
            views=("communication:notifications", "communication:preferences", "communication:following"),
            visible=signed_in,
            count=_unread,
            count_label=_("unread"),
        ),
        MenuEntry(
            _("Inbox"),
            "communication:inbox",
            order=86,
            group="mine",
            views=("communication:inbox", "communication:action_items"),
            visible=signed_in,
            count=_waiting,
            count_label=_("waiting"),
        ),
    )

    def ready(self) -> None:
        # What happens in the apps below reaches followers through core.signals (see receivers.py);
        # meetings tie organisations on the network map; the data download and erasure include communication.
        from samen.communication import network_ties, privacy, receivers  # noqa: F401

        network_ties.register()

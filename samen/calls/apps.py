from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from samen.core.menu import MenuEntry


def _uses_calls(request: Any) -> bool:
    from samen.calls.access import uses_calls

    return uses_calls(request.user)


class CallsConfig(AppConfig):
    name = "samen.calls"
    label = "calls"
    verbose_name = _("Call campaigns")
    menu = (
        MenuEntry(
            _("Call campaigns"), "calls:home", order=86, group="mine", namespaces=("calls",), visible=_uses_calls
        ),
    )

    def ready(self) -> None:
        from samen.calls import privacy  # noqa: F401

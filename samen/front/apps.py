from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from samen.core.menu import MenuEntry


class FrontConfig(AppConfig):
    """The pages that compose every part of the platform: the home page and the challenge pages."""

    name = "samen.front"
    label = "front"
    menu = (
        MenuEntry(
            _("Challenges"),
            "challenges:list",
            order=20,
            group="agenda",
            namespaces=("challenges",),
            views=("agenda:proposals", "agenda:proposal"),
        ),
    )

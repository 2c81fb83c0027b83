from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from samen.core.menu import MenuEntry


class AgendaConfig(AppConfig):
    name = "samen.agenda"
    label = "agenda"
    verbose_name = _("Common agenda")
    curated_by_backbone = True
    menu = (
        MenuEntry(_("Agenda"), "agenda:agenda", order=10, group="agenda", views=("agenda:agenda", "agenda:domain")),
    )

    def ready(self) -> None:
        # A person's contributions in their data download, and what stays when they leave.
        from samen.agenda import privacy  # noqa: F401

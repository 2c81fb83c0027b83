from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from samen.core.menu import MenuEntry


def _uses_care(request: Any) -> bool:
    from samen.care.access import uses_care

    return uses_care(request.user)


class CareConfig(AppConfig):
    name = "samen.care"
    label = "care"
    verbose_name = _("Care networks")
    # The backbone sets up networks on its pages (/care/setup/, the admin offers the same); residents,
    # signals and cases are not in the admin at all.
    curated_by_backbone = True
    # Only the roles that use care see the entry; the public form is linked from the footer.
    menu = (
        MenuEntry(_("Care networks"), "care:home", order=85, group="mine", namespaces=("care",), visible=_uses_care),
    )

    def ready(self) -> None:
        from samen.care import checks, privacy  # noqa: F401

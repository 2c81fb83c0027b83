from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from samen.core.menu import MenuEntry


def enters_values(request) -> bool:
    return request.user.is_authenticated and request.user.has_perm("measurement.enter_values")


class MeasurementConfig(AppConfig):
    name = "samen.measurement"
    label = "measurement"
    verbose_name = _("Shared measurement")
    curated_by_backbone = True
    menu = (
        MenuEntry(
            _("Dashboard"),
            "measurement:dashboard",
            order=30,
            group="progress",
            views=("measurement:dashboard", "measurement:indicator"),
        ),
        MenuEntry(
            _("Our figures"),
            "measurement:mine",
            order=80,
            group="mine",
            views=("measurement:mine",),
            visible=enters_values,
        ),
    )

    def ready(self) -> None:
        from samen.core.signals import reference_data_changed
        from samen.measurement import privacy  # noqa: F401  (a person's work in their data download)
        from samen.measurement.services import areas_changed

        # Roll-ups, maps and people sentences depend on the areas and their population.
        reference_data_changed.connect(areas_changed, dispatch_uid="samen-measurement-areas")

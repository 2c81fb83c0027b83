from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasurementConfig(AppConfig):
    name = "samen.measurement"
    label = "measurement"
    verbose_name = _("Shared measurement")
    curated_by_backbone = True

    def ready(self) -> None:
        from samen.core.signals import reference_data_changed
        from samen.measurement import privacy  # noqa: F401  (a person's work in their data download)
        from samen.measurement.services import areas_changed

        # Roll-ups, maps and people sentences depend on the areas and their population.
        reference_data_changed.connect(areas_changed, dispatch_uid="samen-measurement-areas")

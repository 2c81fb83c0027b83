from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackboneConfig(AppConfig):
    name = "samen.backbone"
    label = "backbone"
    verbose_name = _("Backbone")
    curated_by_backbone = True

    def ready(self) -> None:
        from samen.backbone import opendata as backbone_opendata
        from samen.measurement import opendata

        # The published report cards' figures are part of the open data package.
        opendata.add_resources(backbone_opendata.resources)

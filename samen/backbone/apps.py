from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackboneConfig(AppConfig):
    name = "samen.backbone"
    label = "backbone"
    verbose_name = _("Backbone")
    curated_by_backbone = True

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "samen.care"
    label = "care"
    verbose_name = _("Care networks")
    # Not curated_by_backbone: the backbone sets up networks, it does not get to read residents.

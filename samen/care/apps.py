from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "samen.care"
    label = "care"
    verbose_name = _("Care networks")
    # The backbone sets up networks in the admin; residents, signals and cases are not in the admin at all.
    curated_by_backbone = True

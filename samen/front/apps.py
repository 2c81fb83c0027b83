from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontConfig(AppConfig):
    """The pages that compose every part of the platform: the home page and the challenge pages."""

    name = "samen.front"
    label = "front"
    verbose_name = _("Front pages")

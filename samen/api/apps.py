from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "samen.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from samen.api import privacy  # noqa: F401  (the API tokens in a person's data download)

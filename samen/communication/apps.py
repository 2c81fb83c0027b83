from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationConfig(AppConfig):
    name = "samen.communication"
    label = "communication"
    verbose_name = _("Communication")
    curated_by_backbone = True

    def ready(self) -> None:
        # What happens in the apps below reaches followers through core.signals (see receivers.py);
        # meetings tie organisations on the network map; the data download and erasure include communication.
        from samen.communication import network_ties, privacy, receivers  # noqa: F401

        network_ties.register()

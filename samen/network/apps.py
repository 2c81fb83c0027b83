from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "samen.network"
    label = "network"
    verbose_name = _("Network")
    curated_by_backbone = True

    def ready(self) -> None:
        from samen.network import ties
        from samen.network.models import Member, Membership, Organisation, Sector, User

        # The cached network map goes stale when any of these change.
        ties.watch(
            Member,
            Membership,
            Organisation,
            Sector,
            User,
            Organisation.action_domains.through,
            Member.interests.through,
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "samen.network"
    label = "network"
    verbose_name = _("Network")
    curated_by_backbone = True

    def ready(self) -> None:
        from samen.agenda.models import Milestone
        from samen.network import ties
        from samen.network.models import Area, Member, Membership, Organisation, Sector, User

        # The cached network map and growth figures go stale when any of these change.
        ties.watch(
            Milestone,
            Area,
            Member,
            Membership,
            Organisation,
            Sector,
            User,
            Organisation.action_domains.through,
            Member.interests.through,
        )

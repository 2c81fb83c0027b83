from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from samen.core.menu import MenuEntry, signed_in


class NetworkConfig(AppConfig):
    name = "samen.network"
    label = "network"
    verbose_name = _("Network")
    curated_by_backbone = True
    menu = (
        MenuEntry(
            _("Partners"),
            "network:organisations",
            order=60,
            group="take-part",
            views=("network:organisations", "network:organisation"),
        ),
        MenuEntry(_("Network"), "network:growth", order=70, group="progress", views=("network:growth", "network:map")),
        MenuEntry(
            _("My profile"), "network:profile", order=90, group="mine", views=("network:profile",), visible=signed_in
        ),
    )

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from samen.agenda.models import Milestone
        from samen.network import table_versions, ties
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
        # Every write raises its table's version, which keys the cached public pages.
        connection_created.connect(table_versions.watch_writes, dispatch_uid="samen-table-versions")
        post_migrate.connect(table_versions.create_versions, sender=self, dispatch_uid="samen-table-versions")

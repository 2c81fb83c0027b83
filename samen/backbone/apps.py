from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from samen.core.menu import MenuEntry, signed_in


def _backbone(request) -> bool:
    return request.user.has_perm("backbone.view_grant")


class BackboneConfig(AppConfig):
    name = "samen.backbone"
    label = "backbone"
    verbose_name = _("Backbone")
    curated_by_backbone = True
    menu = (
        MenuEntry(
            _("Results"),
            "backbone:results",
            order=75,
            group="progress",
            views=("backbone:results", "backbone:results_domain"),
        ),
        MenuEntry(
            _("Health check"),
            "backbone:health_check",
            order=85,
            group="mine",
            views=("backbone:health_check",),
            visible=signed_in,
        ),
        MenuEntry(
            _("Backbone"),
            "backbone:health",
            order=95,
            group="backbone",
            views=(
                "backbone:health",
                "backbone:health_round",
                "backbone:funding",
                "backbone:funders",
                "backbone:funder_edit",
                "backbone:grant_new",
                "backbone:grant_edit",
                "backbone:cash_positions",
            ),
            visible=_backbone,
        ),
    )

    def ready(self) -> None:
        from samen.activities.events import selectors as events_selectors
        from samen.backbone import opendata as backbone_opendata
        from samen.backbone import (
            privacy,  # noqa: F401
            report,
        )
        from samen.measurement import opendata
        from samen.network.selectors import growth as growth_selectors

        # The published report cards' figures are part of the open data package.
        opendata.add_resources(backbone_opendata.resources)
        # What the cards published of attendance by year is part of the events pages' one table.
        events_selectors.attendance_published_by(report.published_attendance)
        # And what they published of the members by year is part of the growth page's.
        growth_selectors.members_published_by(report.published_members)

from django.urls import path

from samen.network import views
from samen.network.views import graph as graph_views
from samen.network.views import growth as growth_views
from samen.network.views import invites as invite_views

app_name = "network"
urlpatterns = [
    path("network/invite/", invite_views.invite, name="invite"),
    path("join/<str:token>/", invite_views.join, name="join"),
    path("network/growth/", growth_views.growth_public, name="growth"),
    path("network/growth/backbone/", growth_views.growth_dashboard, name="growth_dashboard"),
    path("network/map/", graph_views.network_map, name="map"),
    path("network/map/data.json", graph_views.map_data, name="map_data"),
    path("partners/propose/", invite_views.partner_propose, name="partner_propose"),
    path("partners/proposals/", invite_views.partner_proposals, name="partner_proposals"),
    path("partners/proposals/<int:pk>/decide/", invite_views.partner_proposal_decide, name="partner_proposal_decide"),
    path("partners/<slug:slug>/invite/", invite_views.organisation_invite, name="organisation_invite"),
    path("partners/", views.organisation_list, name="organisations"),
    path("partners/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("partners/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "partners/<slug:slug>/people/<int:pk>/confirm/",
        views.organisation_membership_confirm,
        name="organisation_membership_confirm",
    ),
    path("profile/", views.profile, name="profile"),
    path("profile/my-data.json", views.profile_export, name="profile_export"),
    path("profile/delete/", views.account_delete, name="account_delete"),
]

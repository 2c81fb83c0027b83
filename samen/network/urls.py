from django.urls import path

from samen.network import views

app_name = "network"
urlpatterns = [
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

from django.urls import path

from samen.activities import views

app_name = "activities"
urlpatterns = [
    path("activities/", views.activity_list, name="activities"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/for-me/", views.for_me, name="for_me"),
    path("activities/for-me/invitations/", views.invitations_opt, name="invitations_opt"),
    path("activities/who-does-what/", views.who_does_what, name="who_does_what"),
    path("activities/<slug:slug>/", views.activity_detail, name="activity"),
    path("activities/<slug:slug>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<slug:slug>/roles/<int:pk>/join/", views.role_join, name="role_join"),
    path("activities/<slug:slug>/roles/<int:pk>/leave/", views.role_leave, name="role_leave"),
    path("activities/<slug:slug>/roles/<int:pk>/people/", views.role_people, name="role_people"),
    path("activities/<slug:slug>/roles/<int:pk>/invite/", views.role_invite, name="role_invite"),
]

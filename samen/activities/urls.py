from django.urls import path

from samen.activities import events_views, views

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

# Campaigns and events (events_views).
urlpatterns += [
    path("campaigns/", events_views.campaign_list, name="campaigns"),
    path("campaigns/new/", events_views.campaign_edit, name="campaign_new"),
    path("campaigns/<slug:slug>/", events_views.campaign_detail, name="campaign"),
    path("campaigns/<slug:slug>/edit/", events_views.campaign_edit, name="campaign_edit"),
    path("campaigns/<slug:slug>/proposals/", events_views.campaign_proposals, name="campaign_proposals"),
    path("campaigns/<slug:slug>/events.ics", events_views.campaign_ics, name="campaign_ics"),
    path("events/", events_views.event_calendar, name="events"),
    path("events/new/", events_views.event_edit, name="event_new"),
    path("events/mine/", events_views.events_mine, name="events_mine"),
    path("events/my-registrations/", events_views.registrations_mine, name="registrations_mine"),
    path("events/registration/<str:token>/confirm/", events_views.registration_confirm, name="registration_confirm"),
    path("events/registration/<str:token>/cancel/", events_views.registration_cancel, name="registration_cancel"),
    path("events/<slug:slug>/", events_views.event_detail, name="event"),
    path("events/<slug:slug>/event.ics", events_views.event_ics, name="event_ics"),
    path("events/<slug:slug>/edit/", events_views.event_edit, name="event_edit"),
    path("events/<slug:slug>/register/", events_views.event_register, name="event_register"),
    path("events/<slug:slug>/cancel/", events_views.event_cancel_mine, name="event_cancel_mine"),
    path("events/<slug:slug>/check-in/", events_views.event_check_in, name="event_check_in"),
    path("events/<slug:slug>/check-in/<str:code>/", events_views.check_in_code, name="check_in_code"),
    path("activities/<slug:slug>/events/", events_views.activity_events, name="activity_events"),
    path("activities/<slug:slug>/events.ics", events_views.activity_ics, name="activity_ics"),
    path("partners/<slug:slug>/events.ics", events_views.organisation_ics, name="organisation_ics"),
]

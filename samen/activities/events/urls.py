"""Campaigns and events: the paths sit beside the activities' paths, the names in the `events` namespace."""

from django.urls import path

from samen.activities.events import views

app_name = "events"
urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_edit, name="campaign_new"),
    path("campaigns/<slug:slug>/", views.campaign_detail, name="campaign"),
    path("campaigns/<slug:slug>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<slug:slug>/proposals/", views.campaign_proposals, name="campaign_proposals"),
    path("campaigns/<slug:slug>/events.ics", views.campaign_ics, name="campaign_ics"),
    path("events/", views.event_calendar, name="calendar"),
    path("events/new/", views.event_edit, name="event_new"),
    path("events/mine/", views.events_mine, name="events_mine"),
    path("events/my-registrations/", views.registrations_mine, name="registrations_mine"),
    path("events/registration/<str:token>/confirm/", views.registration_confirm, name="registration_confirm"),
    path("events/registration/<str:token>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("events/<slug:slug>/event.ics", views.event_ics, name="event_ics"),
    path("events/<slug:slug>/edit/", views.event_edit, name="event_edit"),
    path("events/<slug:slug>/register/", views.event_register, name="event_register"),
    path("events/<slug:slug>/cancel/", views.event_cancel_mine, name="event_cancel_mine"),
    path("events/<slug:slug>/check-in/", views.event_check_in, name="event_check_in"),
    path("events/<slug:slug>/check-in/<str:code>/", views.check_in_code, name="check_in_code"),
    path("activities/<slug:slug>/events/", views.activity_events, name="activity_events"),
    path("activities/<slug:slug>/events.ics", views.activity_ics, name="activity_ics"),
    path("partners/<slug:slug>/events.ics", views.organisation_ics, name="organisation_ics"),
]

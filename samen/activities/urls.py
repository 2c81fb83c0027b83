from django.urls import path  # noqa: F401  (the activity, campaign and event pages are added here)

app_name = "activities"
urlpatterns: list = []

# Campaigns and events (events_views).
from samen.activities import events_views  # noqa: E402

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

from django.urls import path

from samen.communication import views
from samen.communication.views import groups as group_views
from samen.communication.views import newsletters as newsletter_views

app_name = "communication"
urlpatterns = [
    path("news/", views.news_list, name="news"),
    path("news/write/", views.news_edit, name="news_new"),
    path("news/drafts/", views.news_drafts, name="news_drafts"),
    path("news/<slug:slug>/", views.news_item, name="news_item"),
    path("news/<slug:slug>/edit/", views.news_edit, name="news_edit"),
    path("follow/", views.follow, name="follow"),
    path("following/", views.following, name="following"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/preferences/", views.preferences, name="preferences"),
    path("inbox/", views.inbox, name="inbox"),
    path("newsletters/", newsletter_views.newsletter_list, name="newsletters"),
    path("newsletters/new/", newsletter_views.newsletter_edit, name="newsletter_new"),
    path("newsletters/<int:pk>/", newsletter_views.newsletter_detail, name="newsletter"),
    path("newsletters/<int:pk>/edit/", newsletter_views.newsletter_edit, name="newsletter_edit"),
    path("newsletters/<int:pk>/test/", newsletter_views.newsletter_test, name="newsletter_test"),
    path("newsletters/<int:pk>/send/", newsletter_views.newsletter_send, name="newsletter_send"),
    path("working-groups/", group_views.group_list, name="groups"),
    path("working-groups/new/", group_views.group_edit, name="group_new"),
    path("working-groups/<slug:slug>/", group_views.group_detail, name="group"),
    path("working-groups/<slug:slug>/edit/", group_views.group_edit, name="group_edit"),
    path("working-groups/<slug:slug>/archive/", group_views.group_archive, name="group_archive"),
    path("working-groups/<slug:slug>/meetings/new/", group_views.meeting_edit, name="meeting_new"),
    path("meetings/<int:pk>/", group_views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", group_views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/invite/", group_views.meeting_invite, name="meeting_invite"),
    path("meetings/<int:pk>/minutes/", group_views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/attendance/", group_views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/meeting.ics", group_views.meeting_ical, name="meeting_ical"),
    path("meetings/<int:pk>/register/", group_views.meeting_register, name="meeting_register"),
    path("action-items/", group_views.action_items, name="action_items"),
    path("action-items/<int:pk>/done/", group_views.action_item_done, name="action_item_done"),
]

from django.urls import path

from samen.calls import views

app_name = "calls"
urlpatterns = [
    path("calls/", views.home, name="home"),
    path("calls/new/", views.campaign_new, name="campaign_new"),
    path("calls/<int:pk>/", views.campaign, name="campaign"),
    path("calls/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("calls/<int:pk>/rules/", views.rules, name="rules"),
    path("calls/<int:pk>/pool/", views.pool_build, name="pool_build"),
    path("calls/<int:pk>/import/", views.list_import, name="list_import"),
    path("calls/<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("calls/<int:pk>/pledge/", views.pledge, name="pledge"),
    path("calls/<int:pk>/call/", views.caller, name="caller"),
    path("calls/<int:pk>/call/<int:entry>/", views.call, name="call"),
    path("calls/<int:pk>/data-quality/", views.data_quality, name="data_quality"),
    path("calls/<int:pk>/follow-ups/", views.follow_ups, name="follow_ups"),
    path("calls/<int:pk>/debriefs/", views.debriefs, name="debriefs"),
    path("calls/circles/new/", views.circle_new, name="circle_new"),
    path("calls/circles/<int:pk>/", views.circle, name="circle"),
]

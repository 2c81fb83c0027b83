from django.urls import path

from samen.measurement import views

app_name = "measurement"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("indicators/<slug:code>/", views.indicator_detail, name="indicator"),
    path("indicators/<slug:code>/data.csv", views.indicator_csv, name="indicator_csv"),
    path("indicators/<slug:code>/data.json", views.indicator_json, name="indicator_json"),
]

from django.urls import path

from samen.measurement import views
from samen.measurement.views import partners as partner_views

app_name = "measurement"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("indicators/<slug:code>/", views.indicator_detail, name="indicator"),
    path("indicators/<slug:code>/data.csv", views.indicator_csv, name="indicator_csv"),
    path("indicators/<slug:code>/data.json", views.indicator_json, name="indicator_json"),
    path("indicators/<slug:code>/template.csv", partner_views.import_template, name="template"),
    path("indicators/<slug:code>/story/", partner_views.story, name="story"),
    path("indicators/<slug:code>/audit/", partner_views.disclosure_audit, name="audit"),
    path("measurements/", partner_views.my_measurements, name="mine"),
    path("measurements/submit/", partner_views.submit_values, name="submit"),
    path("measurements/import/", partner_views.import_file, name="import"),
    path("measurements/approve/", partner_views.approve, name="approve"),
]

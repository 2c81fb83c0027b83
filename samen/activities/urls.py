from django.urls import path  # noqa: F401  (the activity, campaign and event pages are added here)

app_name = "activities"
urlpatterns: list = []

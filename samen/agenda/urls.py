from django.urls import path

from samen.agenda import views

app_name = "agenda"
urlpatterns = [
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/<slug:slug>/", views.domain_detail, name="domain"),
]

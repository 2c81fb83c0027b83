from django.urls import include, path

from samen.front import views

challenge_patterns = [
    path("challenges/", views.challenge_list, name="list"),
    path("challenges/new/", views.challenge_edit, name="new"),
    path("challenges/<slug:slug>/", views.challenge_detail, name="challenge"),
    path("challenges/<slug:slug>/edit/", views.challenge_edit, name="edit"),
    path("challenges/<slug:slug>/indicators/", views.challenge_indicators, name="indicators"),
]
urlpatterns = [
    path("", views.home, name="home"),
    path("", include((challenge_patterns, "challenges"))),
]

from django.urls import path

from samen.agenda import views
from samen.agenda.views import proposals as proposal_views
from samen.agenda.views import stories as story_views

app_name = "agenda"
urlpatterns = [
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/<slug:slug>/", views.domain_detail, name="domain"),
    path("proposals/", proposal_views.proposal_list, name="proposals"),
    path("proposals/new/", proposal_views.proposal_new, name="proposal_new"),
    path("proposals/moderation/", proposal_views.moderation, name="moderation"),
    path("proposals/<int:pk>/", proposal_views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/edit/", proposal_views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/support/", proposal_views.proposal_support, name="proposal_support"),
    path("proposals/<int:pk>/comment/", proposal_views.comment_add, name="comment_add"),
    path("proposals/<int:pk>/answer/", proposal_views.proposal_answer, name="proposal_answer"),
    path("moderation/<str:kind>/<int:pk>/report/", proposal_views.report, name="report"),
    path("moderation/<str:kind>/<int:pk>/hide/", proposal_views.hide, name="hide"),
    path("moderation/<str:kind>/<int:pk>/dismiss/", proposal_views.dismiss, name="dismiss"),
    path("stories/new/", story_views.story_new, name="story_new"),
    path("stories/review/", story_views.story_review_list, name="story_review_list"),
    path("stories/<int:pk>/review/", story_views.story_review, name="story_review"),
]

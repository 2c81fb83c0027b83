from django.urls import path

from samen.care import views

app_name = "care"
urlpatterns = [
    path("care/", views.home, name="home"),
    path("care/worried/", views.worried, name="worried"),
    path("care/worried/thanks/", views.worried_thanks, name="worried_thanks"),
    path("care/reviews/", views.reviews, name="reviews"),
    path("care/escalations/", views.escalations, name="escalations"),
    path("care/networks/<slug:slug>/", views.network, name="network"),
    path("care/networks/<slug:slug>/pledge/", views.pledge, name="pledge"),
    path("care/networks/<slug:slug>/agreements/new/", views.agreement_new, name="agreement_new"),
    path("care/networks/<slug:slug>/residents/new/", views.resident_new, name="resident_new"),
    path("care/networks/<slug:slug>/residents/import/", views.resident_import, name="resident_import"),
    path("care/networks/<slug:slug>/signals/new/", views.signal_new, name="signal_new"),
    path("care/networks/<slug:slug>/surveys/new/", views.survey_new, name="survey_new"),
    path("care/surveys/<int:pk>/", views.survey, name="survey"),
    path("care/residents/<str:reference>/", views.resident, name="resident"),
    path("care/residents/<str:reference>/edit/", views.resident_edit, name="resident_edit"),
    path("care/residents/<str:reference>/audit/", views.resident_audit, name="resident_audit"),
    path("care/residents/<str:reference>/export/", views.resident_export, name="resident_export"),
    path("care/residents/<str:reference>/erase/", views.resident_erase, name="resident_erase"),
    path("care/residents/<str:reference>/consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("care/signals/<str:reference>/", views.signal, name="signal"),
    path("care/cases/<str:reference>/", views.case, name="case"),
    path("care/cases/<str:reference>/referrals/", views.referral_new, name="referral_new"),
    path("care/cases/<str:reference>/referrals/<int:pk>/", views.referral_change, name="referral_change"),
    path("care/cases/<str:reference>/close/", views.case_close, name="case_close"),
    path("care/cases/<str:reference>/share/", views.case_share, name="case_share"),
]

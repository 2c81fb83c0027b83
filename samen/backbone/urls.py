from django.urls import path

from samen.backbone import views

app_name = "backbone"
urlpatterns = [
    path("backbone/funding/", views.funding, name="funding"),
    path("backbone/funding/expenses/", views.expense_add, name="expense_add"),
    path("backbone/funding/import/", views.expense_import, name="expense_import"),
    path("backbone/funding/funders/", views.funders, name="funders"),
    path("backbone/funding/funders/<int:pk>/", views.funders, name="funder_edit"),
    path("backbone/funding/grants/new/", views.grant_form, name="grant_new"),
    path("backbone/funding/grants/<int:pk>/", views.grant_form, name="grant_edit"),
    path("backbone/funding/cash/", views.cash_positions, name="cash_positions"),
    path("funding/", views.funding_public, name="funding_public"),
    path("results/", views.results, name="results"),
    path("results/<slug:domain>/", views.results, name="results_domain"),
    path("results/update/<int:pk>/", views.result_update, name="result_update"),
    path("health-check/", views.health_check, name="health_check"),
    path("health-check/<int:pk>/", views.health_answer, name="health_answer"),
    path("backbone/health/", views.health, name="health"),
    path("backbone/health/rounds/<int:pk>/", views.health_round, name="health_round"),
    path("report-card/<int:year>/", views.report_card, name="report_card"),
    path("report-card/<int:year>.pdf", views.report_card_pdf, name="report_card_pdf"),
    path("report-card/<int:year>/publish/", views.report_publish, name="report_publish"),
]

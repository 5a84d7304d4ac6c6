from django.urls import path

from carewatch.eyes.review import views

app_name = "review"
urlpatterns = [
    path("", views.queue_page, name="queue"),
    path("visits/<int:visit_id>/", views.review, name="visit"),
    path("reports/<int:report_id>/", views.report_page, name="report"),
    path("reports/<int:report_id>/amend/", views.amend, name="amend"),
    path("reports/<int:report_id>/fhir.json", views.fhir_export, name="fhir"),
]

from django.urls import path

from carewatch.eyes.documents import views

app_name = "documents"
urlpatterns = [
    path("reports/<int:report_id>/", views.report_page, name="report"),
    path("reports/<int:report_id>/fhir.json", views.fhir_export, name="fhir"),
    path("reports/<int:report_id>/report.pdf", views.report_download, name="report_pdf"),
    path("reports/<int:report_id>/referral.pdf", views.referral_download, name="referral_pdf"),
]

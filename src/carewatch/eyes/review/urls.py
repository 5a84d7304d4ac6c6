from django.urls import path
from django.views.generic import RedirectView

from carewatch.eyes.review import views

app_name = "review"
urlpatterns = [
    path("", views.queue_page, name="queue"),
    path("visits/<int:visit_id>/", views.review, name="visit"),
    # The signed report moved to documents/: old links and bookmarks still arrive.
    path("reports/<int:report_id>/", RedirectView.as_view(pattern_name="documents:report")),
    path("reports/<int:report_id>/amend/", views.amend, name="amend"),
    path("reports/<int:report_id>/fhir.json", RedirectView.as_view(pattern_name="documents:fhir")),
]

from django.urls import path, re_path

from carewatch.eyes.screening import views

app_name = "screening"
urlpatterns = [
    path("patients/", views.patient_list, name="patients"),
    path("patients/new/", views.register, name="register"),
    path("patients/<int:patient_id>/", views.patient_detail, name="patient"),
    path("patients/<int:patient_id>/consent/", views.add_consent, name="add_consent"),
    path("patients/<int:patient_id>/erase/", views.erase_patient, name="erase"),
    path("patients/<int:patient_id>/visits/new/", views.new_visit, name="new_visit"),
    path("visits/<int:visit_id>/", views.visit_detail, name="visit"),
    path("visits/<int:visit_id>/report/", views.visit_report, name="report"),
    path("visits/<int:visit_id>/progress/", views.visit_progress, name="visit_progress"),
    re_path(
        r"^images/(?P<image_id>[0-9]+)/(?P<kind>photo|thumbnail|heatmap)/$",
        views.image_file,
        name="image",
    ),
    path("audit/", views.audit_log, name="audit"),
    path("research/", views.research_page, name="research"),
]

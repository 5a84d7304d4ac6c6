from django.urls import path

from carewatch.eyes.portal import staff, views

app_name = "portal"
urlpatterns = [
    path("", views.start, name="start"),
    path("r/<str:token>/", views.open_link, name="open"),
    path("code/", views.send_code, name="send_code"),
    path("leave/", views.log_out, name="leave"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:visit_id>/", views.report, name="report"),
    path("reports/<int:visit_id>/pdf/", views.report_pdf, name="report_pdf"),
    path("feedback/", views.feedback, name="feedback"),
    path("preferences/", views.preferences, name="preferences"),
    path("testimonial/", views.testimonial, name="testimonial"),
    path(
        "testimonial/<int:testimonial_id>/withdraw/",
        views.withdraw_testimonial,
        name="withdraw_testimonial",
    ),
    path("invite/", views.invite, name="invite"),
    # Centre staff
    path(
        "staff/<slug:clinic_slug>/patients/<int:patient_id>/link/",
        staff.reissue_link,
        name="reissue_link",
    ),
    path("staff/<slug:clinic_slug>/feedback/", staff.feedback_summary, name="staff_feedback"),
    path(
        "staff/<slug:clinic_slug>/testimonials/<int:testimonial_id>/",
        staff.moderate,
        name="moderate",
    ),
]

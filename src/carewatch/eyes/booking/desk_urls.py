from django.urls import path

from carewatch.eyes.booking import desk

app_name = "desk"
urlpatterns = [
    path("", desk.day_list, name="day"),
    path("settings/", desk.centre_settings, name="settings"),
    path("bookings/<int:booking_id>/arrive/", desk.arrive, name="arrive"),
    path("bookings/<int:booking_id>/no-show/", desk.no_show, name="no_show"),
    path("walk-in/<int:patient_id>/", desk.walk_in, name="walk_in"),
]

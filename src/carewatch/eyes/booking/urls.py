from django.urls import path

from carewatch.eyes.booking import views

app_name = "booking"
urlpatterns = [
    path("", views.centre_list, name="centres"),
    path("bookings/<str:token>/", views.private, name="private"),
    path("bookings/<str:token>/cancel/", views.cancel, name="cancel"),
    path("bookings/<str:token>/confirm/", views.confirm, name="confirm"),
    path("bookings/<str:token>/move/", views.move, name="move"),
    path("<slug:clinic_slug>/", views.centre_detail, name="centre"),
    path("<slug:clinic_slug>/book/", views.book, name="book"),
]

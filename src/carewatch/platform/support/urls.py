from django.urls import path

from carewatch.platform.support import inbound, staff, views

app_name = "support"
urlpatterns = [
    path("", views.my_threads, name="my_threads"),
    path("threads/<int:pk>/", views.thread, name="thread"),
    path("threads/<int:pk>/delete/", views.delete, name="delete"),
    path("c/<str:token>/", views.guest_thread, name="guest_thread"),
    path("c/<str:token>/delete/", views.guest_delete, name="guest_delete"),
    path("inbox/", staff.inbox, name="inbox"),
    path("inbox/<int:pk>/", staff.staff_thread, name="staff_thread"),
    path("inbound-email/", inbound.inbound_email, name="inbound_email"),
]

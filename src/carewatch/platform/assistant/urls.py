from django.urls import path

from carewatch.platform.assistant import views

app_name = "assistant"
urlpatterns = [
    path("", views.ask, name="ask"),
    path("person/", views.handover, name="handover"),
    path("delete/", views.forget, name="forget"),
]

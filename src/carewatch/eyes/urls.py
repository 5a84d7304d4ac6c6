from django.urls import path

from carewatch.eyes import views

app_name = "eyes"
urlpatterns = [path("", views.about, name="about")]

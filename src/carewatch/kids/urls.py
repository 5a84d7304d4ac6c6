from django.urls import path

from carewatch.kids import views

app_name = "kids"
urlpatterns = [path("", views.about, name="about")]

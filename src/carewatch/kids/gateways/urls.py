from django.urls import path

from carewatch.kids.gateways import views

app_name = "gateways"
urlpatterns = [
    path("osmand/", views.osmand, name="osmand"),
    path("owntracks/", views.owntracks, name="owntracks"),
]

from django.urls import path

from carewatch.platform.web import views

app_name = "web"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("language/", views.set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
]

from django.urls import path

from carewatch.platform.help import views

app_name = "help"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("<slug:service>/<slug:slug>/", views.article, name="article"),
]

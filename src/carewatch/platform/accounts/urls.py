from django.urls import path
from django.views.generic import RedirectView

from carewatch.platform.accounts import views

app_name = "accounts"
urlpatterns = [
    path("home/", views.home, name="home"),
    path("family/new/", views.create_family, name="create_family"),
    path("family/<int:family_id>/", views.family, name="family"),
    path("family/<int:family_id>/invite/", views.invite, name="invite"),
    path("family/<int:family_id>/delete/", views.delete_family, name="delete_family"),
    path("invite/<str:token>/", views.accept_invite, name="accept_invite"),
    path("account/tokens/", views.api_tokens, name="api_tokens"),
    path("account/tokens/<int:token_id>/revoke/", views.revoke_api_token, name="revoke_api_token"),
    # A screening centre is a "centre" in every address and page (Clinic is its model).
    path("centre/<slug:clinic_slug>/team/", views.clinic_team, name="clinic_team"),
    path(
        "clinic/<slug:clinic_slug>/team/", RedirectView.as_view(pattern_name="accounts:clinic_team")
    ),
]

from django.urls import path

from carewatch.kids.tracker import live, views

app_name = "tracker"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("family/<int:family_id>/children/new/", views.add_child, name="add_child"),
    path("family/<int:family_id>/pair/", views.pair, name="pair"),
    path("family/<int:family_id>/reach/", views.reach_page, name="reach"),
    path("family/<int:family_id>/reach/test/", views.test_alert, name="test_alert"),
    path("family/<int:family_id>/places/", views.places, name="places"),
    path("family/<int:family_id>/places/new/", views.edit_place, name="new_place"),
    path("family/<int:family_id>/places/<int:place_id>/", views.edit_place, name="edit_place"),
    path(
        "family/<int:family_id>/places/<int:place_id>/delete/",
        views.delete_place,
        name="delete_place",
    ),
    path("family/<int:family_id>/events/", views.events, name="events"),
    path("family/<int:family_id>/export/", views.export, name="export"),
    path("family/<int:family_id>/alerts/", views.alert_settings, name="alert_settings"),
    path("family/<int:family_id>/privacy/", views.privacy_settings, name="privacy"),
    path("family/<int:family_id>/map/", live.map_page, name="map"),
    path("family/<int:family_id>/live/", live.live, name="live"),
    path("family/<int:family_id>/history/", live.history, name="history"),
]

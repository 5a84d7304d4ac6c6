from django.urls import path

from carewatch.kids.gateways import pages

app_name = "devices"
urlpatterns = [
    path("family/<int:family_id>/phones/new/", pages.add_phone, name="add_phone"),
    path("family/<int:family_id>/devices/<int:device_id>/", pages.device_page, name="device"),
    path(
        "family/<int:family_id>/devices/<int:device_id>/commands/",
        pages.queue_command,
        name="queue_command",
    ),
    path(
        "family/<int:family_id>/devices/<int:device_id>/password/",
        pages.new_secret,
        name="new_secret",
    ),
]

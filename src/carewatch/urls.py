from django.contrib import admin
from django.urls import include, path

from carewatch.api import api

urlpatterns = [
    path("", include("carewatch.platform.web.urls")),
    path("", include("carewatch.platform.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("assistant/", include("carewatch.platform.assistant.urls")),
    path("notifications/", include("carewatch.platform.notify.urls")),
    path("help/", include("carewatch.platform.help.urls")),
    path("support/", include("carewatch.platform.support.urls")),
    path("kids/", include("carewatch.kids.urls")),
    path("kids/tracker/", include("carewatch.kids.tracker.urls")),
    path("kids/tracker/", include("carewatch.kids.gateways.page_urls")),
    path("kids/shop/", include("carewatch.kids.store.urls")),
    path("eyes/", include("carewatch.eyes.urls")),
    path("eyes/my/", include("carewatch.eyes.portal.urls")),
    path("eyes/centre/<slug:clinic_slug>/", include("carewatch.eyes.screening.urls")),
    path("eyes/centre/<slug:clinic_slug>/review/", include("carewatch.eyes.review.urls")),
    path(
        "eyes/centre/<slug:clinic_slug>/documents/",
        include("carewatch.eyes.documents.urls", namespace="documents"),
    ),
    path("eyes/centres/", include("carewatch.eyes.booking.urls")),
    path("eyes/centre/<slug:clinic_slug>/desk/", include("carewatch.eyes.booking.desk_urls")),
    path("", include("carewatch.kids.gateways.urls")),  # /osmand/ and /owntracks/ for devices
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

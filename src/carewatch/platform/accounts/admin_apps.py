"""Django's admin app with our site (kept apart: app configs load before any model)."""

from django.contrib.admin.apps import AdminConfig


class CareWatchAdminConfig(AdminConfig):
    default_site = "carewatch.platform.accounts.admin_site.CareWatchAdminSite"

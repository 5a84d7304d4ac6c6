from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "carewatch.platform.support"
    label = "support"
    verbose_name = _("Support: conversations with staff")

    def ready(self) -> None:
        from carewatch.platform.support import tasks  # noqa: F401  (registers with huey)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "carewatch.platform.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Importing tasks registers them with huey in every process, including workers
        # started without djhuey's autodiscovery (`carewatch serve` runs one in-process).
        from carewatch.platform.notify import signals, tasks  # noqa: F401

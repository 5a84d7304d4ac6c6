from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "carewatch.eyes.portal"
    label = "portal"
    verbose_name = "Eyes: the patient's private pages"

    def ready(self) -> None:
        from carewatch.eyes.portal import receivers  # noqa: F401 - connects the signals

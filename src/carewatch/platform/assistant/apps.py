from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantConfig(AppConfig):
    name = "carewatch.platform.assistant"
    label = "assistant"
    verbose_name = _("Help assistant")

    def ready(self) -> None:
        from carewatch.platform.assistant import tasks  # noqa: F401  (registers the nightly clean-up)

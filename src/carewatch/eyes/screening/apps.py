from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "carewatch.eyes.screening"
    label = "screening"
    verbose_name = "Eyes: screening"

    def ready(self) -> None:
        from carewatch.eyes.screening import erasure  # noqa: F401 - connects the file clean-up

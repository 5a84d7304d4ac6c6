from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "carewatch.kids.tracker"
    label = "tracker"
    verbose_name = "Kids: tracker"

    def ready(self) -> None:
        from carewatch.kids.tracker import privacy  # noqa: F401 - connects the deletion signal
        from carewatch.kids.tracker.sql import use_fast_json

        use_fast_json()

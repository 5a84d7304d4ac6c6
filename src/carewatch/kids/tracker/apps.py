from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "carewatch.kids.tracker"
    label = "tracker"
    verbose_name = "Kids: tracker"

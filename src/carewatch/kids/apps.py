from django.apps import AppConfig


class KidsConfig(AppConfig):
    name = "carewatch.kids"
    label = "kids"
    verbose_name = "Kids: child safety tracker"

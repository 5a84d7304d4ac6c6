from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "carewatch.eyes.screening"
    label = "screening"
    verbose_name = "Eyes: screening"

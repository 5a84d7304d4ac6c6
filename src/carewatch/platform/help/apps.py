from django.apps import AppConfig


class HelpConfig(AppConfig):
    name = "carewatch.platform.help"
    label = "help"
    verbose_name = "Help centre"

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "carewatch.platform.web"
    label = "web"
    verbose_name = "Web shell"

    def ready(self) -> None:
        from carewatch.platform.web.translations import compile_catalogues

        compile_catalogues()

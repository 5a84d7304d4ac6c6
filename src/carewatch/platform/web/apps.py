from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "carewatch.platform.web"
    label = "web"
    verbose_name = "Web shell"

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from carewatch.platform.web.stored_text import strip_direction_controls
        from carewatch.platform.web.translations import compile_catalogues

        compile_catalogues()
        pre_save.connect(strip_direction_controls, dispatch_uid="strip_direction_controls")

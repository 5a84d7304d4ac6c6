from django.apps import AppConfig


class GatewaysConfig(AppConfig):
    name = "carewatch.kids.gateways"
    label = "gateways"
    verbose_name = "Kids: device gateways"

    def ready(self) -> None:
        from carewatch.kids.gateways import directory  # noqa: F401 - connects the cache signals

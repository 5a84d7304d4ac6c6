from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "carewatch.kids.store.orders"
    label = "orders"
    verbose_name = "Kids store: orders"

    def ready(self) -> None:
        from carewatch.kids.store.orders import signals  # noqa: F401 - claims guest orders

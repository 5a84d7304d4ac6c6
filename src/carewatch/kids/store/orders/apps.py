from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "carewatch.kids.store.orders"
    label = "orders"
    verbose_name = "Kids store: orders"

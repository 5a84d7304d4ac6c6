from django.apps import AppConfig


class BasketConfig(AppConfig):
    name = "carewatch.kids.store.basket"
    label = "basket"
    verbose_name = "Kids store: basket"

    def ready(self) -> None:
        from carewatch.kids.store.basket import signals  # noqa: F401 - merges at login

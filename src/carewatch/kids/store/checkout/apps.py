from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    name = "carewatch.kids.store.checkout"
    label = "checkout"
    verbose_name = "Kids store: checkout"

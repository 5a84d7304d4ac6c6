from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "carewatch.kids.store.payments"
    label = "payments"
    verbose_name = "Kids store: payments"

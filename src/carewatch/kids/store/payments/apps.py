from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "carewatch.kids.store.payments"
    label = "payments"
    verbose_name = "Kids store: payments"

    def ready(self) -> None:
        from django.conf import settings

        from carewatch.kids.store.payments.config import warn_about_test_payments

        warn_about_test_payments(settings.PAYMENT_CONFIG, production=settings.PRODUCTION)

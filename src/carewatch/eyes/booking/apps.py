from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "carewatch.eyes.booking"
    label = "booking"
    verbose_name = "Eyes: centres and booking"

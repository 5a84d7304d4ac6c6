from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "carewatch.eyes.booking"
    label = "booking"
    verbose_name = "Eyes: centres and booking"

    def ready(self) -> None:
        from carewatch.eyes.booking import desk
        from carewatch.eyes.screening import signals

        signals.registration_opened.connect(desk.registration_initial)
        signals.patient_registered.connect(desk.registered)

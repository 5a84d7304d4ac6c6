from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "carewatch.eyes.review"
    label = "review"
    verbose_name = "Eyes: doctor review"

    def ready(self) -> None:
        from carewatch.eyes.review import current
        from carewatch.eyes.screening import signals

        signals.final_grades.connect(current.signed_grades)

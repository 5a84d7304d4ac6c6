from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "carewatch.eyes.review"
    label = "review"
    verbose_name = "Eyes: doctor review"

from django.apps import AppConfig


class EyesConfig(AppConfig):
    name = "carewatch.eyes"
    label = "eyes"
    verbose_name = "Eyes: diabetic-retinopathy screening"

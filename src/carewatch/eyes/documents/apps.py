from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "carewatch.eyes.documents"
    label = "documents"
    verbose_name = "Eyes: report documents"

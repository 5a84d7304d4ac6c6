from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "carewatch.kids.ingest"
    label = "ingest"
    verbose_name = "Kids: ingest log offsets and leases"

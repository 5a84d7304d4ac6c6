from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "carewatch.kids.ingest"
    label = "ingest"
    verbose_name = "Kids: ingest log offsets and leases"

    def ready(self) -> None:
        # tells the ingest workers when a device or a place changes (signals)
        from carewatch.kids.ingest import processing  # noqa: F401

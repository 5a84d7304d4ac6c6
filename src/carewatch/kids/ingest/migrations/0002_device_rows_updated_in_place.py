"""PostgreSQL: leave room in each page of tracker_device, so that the ingest workers'
update of every reporting device (state, last position) is a HOT update, in place,
without touching the table's three indexes. Nothing to do on SQLite."""

from typing import Any

from django.db import migrations


def set_fillfactor(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE tracker_device SET (fillfactor = 70)")


def reset_fillfactor(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE tracker_device RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("ingest", "0001_offsets_and_leases"), ("tracker", "0001_initial")]
    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor)]

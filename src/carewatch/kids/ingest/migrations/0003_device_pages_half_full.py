"""PostgreSQL: half of each page of tracker_device left free (was 70 % full). Measured in
bench/pipeline_bench.py at 70 %: only 54 % of the workers' device updates were HOT (in
place), the others wrote all five of the table's indexes again. Nothing to do on SQLite."""

from typing import Any

from django.db import migrations


def set_fillfactor(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE tracker_device SET (fillfactor = 50)")


def back_to_seventy(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE tracker_device SET (fillfactor = 70)")


class Migration(migrations.Migration):
    dependencies = [("ingest", "0002_device_rows_updated_in_place")]
    operations = [migrations.RunPython(set_fillfactor, back_to_seventy)]

"""The audit log's triggers again, now also refusing SQLite's INSERT OR REPLACE, which
deleted the old entry without firing the DELETE trigger (platform/lib/append_only.py)."""

from django.db import migrations

from carewatch.platform.lib.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("screening", "0005_image_grading_started")]

    operations = append_only("screening_auditentry", nullable=["patient_id", "user_id"])

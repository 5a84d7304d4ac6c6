"""The audit log becomes append-only in the database itself (see platform/lib/append_only.py).

A later migration that alters screening_auditentry must repeat these operations at its end.
"""

from django.db import migrations

from carewatch.platform.lib.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("screening", "0003_auditentry_note")]

    operations = append_only("screening_auditentry", nullable=["patient_id", "user_id"])

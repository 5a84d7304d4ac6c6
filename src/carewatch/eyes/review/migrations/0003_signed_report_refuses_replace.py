"""The signed reports' triggers again, now also refusing SQLite's INSERT OR REPLACE, which
rewrote a signed report without firing the DELETE trigger (platform/lib/append_only.py)."""

from django.db import migrations

from carewatch.platform.lib.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0002_append_only"),
        ("screening", "0006_audit_refuses_replace"),
    ]

    operations = append_only("review_signedreport", erasable=True)

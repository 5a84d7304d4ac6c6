"""Signed reports become append-only in the database itself (platform/lib/append_only.py):
no column ever changes, and rows are deleted only inside a patient's erasure on request
(screening/erasure.py opens that door for its own transaction only).

Added by the privacy engineer. A later migration that alters review_signedreport must
repeat these operations at its end (SQLite rebuilds the table and drops its triggers).
"""

from django.db import migrations

from carewatch.platform.lib.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
        ("screening", "0004_audit_append_only"),  # creates the erasure guard table first
    ]

    operations = append_only("review_signedreport", erasable=True)

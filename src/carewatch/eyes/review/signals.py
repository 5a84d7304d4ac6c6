"""Sent once a signed version is safely stored, so listeners never see a rolled-back report."""

from django.dispatch import Signal

# Keyword argument: report=<SignedReport>. Sent after the signing transaction commits, for
# version 1 and for every amendment.
report_signed = Signal()

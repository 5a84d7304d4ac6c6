"""Retrains the shop's recommender now and rewrites its tables (the nightly task does the same)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from carewatch.kids.store.recommend.build import refresh


class Command(BaseCommand):
    help = "Retrain the shop's recommendations and rewrite related products (runs nightly too)."

    def handle(self, *args: Any, **options: Any) -> None:
        written = refresh()
        self.stdout.write(
            f"{written.related} related products, {written.rows} recommendations "
            f"for {written.users} customers and the visitor segments."
        )

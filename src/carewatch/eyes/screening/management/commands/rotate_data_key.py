"""Re-encrypt every stored photo, thumbnail and heatmap with the first key in DATA_KEY."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from carewatch.eyes.screening import crypto
from carewatch.eyes.screening.models import Grading, Image


class Command(BaseCommand):
    help = "Re-encrypt stored patient photos with the newest DATA_KEY (the first one)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for image in Image.objects.iterator():
            crypto.rotate(image.photo)
            crypto.rotate(image.thumbnail)
            count += 2
        for grading in Grading.objects.exclude(heatmap="").iterator():
            crypto.rotate(grading.heatmap)
            count += 1
        self.stdout.write(f"Re-encrypted {count} files with the newest key.")

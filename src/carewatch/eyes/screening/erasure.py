"""Encrypted files leave storage with their rows (a patient's erasure removes their photos)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete
from django.dispatch import receiver

from carewatch.eyes.screening.models import Grading, Image


def delete_after_commit(*files: FieldFile) -> None:
    for field in files:
        if field and field.name:
            storage, name = field.storage, field.name
            transaction.on_commit(lambda s=storage, n=name: s.delete(n))  # type: ignore[misc]


@receiver(post_delete, sender=Image)
def image_deleted(sender: Any, instance: Image, **kwargs: Any) -> None:
    delete_after_commit(instance.photo, instance.thumbnail)


@receiver(post_delete, sender=Grading)
def grading_deleted(sender: Any, instance: Grading, **kwargs: Any) -> None:
    delete_after_commit(instance.heatmap)

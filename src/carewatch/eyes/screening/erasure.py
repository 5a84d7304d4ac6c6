"""A patient's erasure on request, and encrypted files leaving storage with their rows.

`erase()` removes everything about the patient in every app (consents, visits, photos,
gradings, heatmaps, signed reports, booking links, portal rows), except the audit trail:
its entries keep the patient number as text and lose only their link (append_only.py).
Signed reports are append-only in the database: the erasure opens that door for its own
transaction only (`erasure_allowed`), and it deletes through the base manager because
the models refuse deletion on purpose.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete
from django.dispatch import receiver

from carewatch.eyes.screening.models import AuditEntry, Grading, Image, Patient
from carewatch.platform.lib.append_only import erasure_allowed

MAX_ROUNDS = 10  # chains of PROTECT links are short; more means a loop, which is a bug


def erase(patient: Patient) -> dict[str, int]:
    """Deletes the patient and everything about them; returns how many rows of each model."""
    removed: Counter[str] = Counter()
    with transaction.atomic(), erasure_allowed():
        for relation in Patient._meta.related_objects:
            if relation.related_model is AuditEntry or relation.on_delete is models.CASCADE:
                continue
            # A link that would outlive the patient (SET_NULL: a booking still holding their
            # name and phone) or block the erasure (PROTECT): its rows are theirs, so they go.
            model: Any = relation.related_model
            field = relation.field.name
            removed += _purge(model._base_manager.filter(**{field: patient}))
        removed += _purge(Patient._base_manager.filter(pk=patient.pk))
    return dict(removed)


def _purge(queryset: models.QuerySet[Any], rounds: int = MAX_ROUNDS) -> Counter[str]:
    """Deletes the rows and whatever they protect from deletion (a visit's signed reports)."""
    removed: Counter[str] = Counter()
    for _ in range(rounds):
        try:
            _, per_model = queryset.delete()
            return removed + Counter(per_model)
        except models.ProtectedError as blocked:
            blockers = blocked.protected_objects
        except models.RestrictedError as blocked:
            blockers = blocked.restricted_objects
        by_model: defaultdict[type[models.Model], list[Any]] = defaultdict(list)
        for obj in blockers:
            by_model[type(obj)].append(obj.pk)
        if AuditEntry in by_model:
            raise models.ProtectedError("The audit trail is never erased.", set())
        for model, pks in by_model.items():
            removed += _purge(model._base_manager.filter(pk__in=pks), rounds - 1)
    raise RuntimeError(f"Erasure did not finish in {MAX_ROUNDS} rounds: {queryset.model}.")


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

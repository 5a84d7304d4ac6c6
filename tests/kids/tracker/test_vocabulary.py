"""The tracker's vocabularies are the tracking core's enums; the models only add words."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from carewatch.kids import tracking
from carewatch.kids.tracker.models import Device, Event, Place, labelled


@pytest.mark.parametrize(
    ("field", "enum"),
    [
        (Device._meta.get_field("status"), tracking.DeviceStatus),
        (Place._meta.get_field("kind"), tracking.PlaceKind),
        (Event._meta.get_field("kind"), tracking.EventKind),
    ],
)
def test_the_model_choices_are_the_core_enum(field: Any, enum: type[StrEnum]) -> None:
    assert sorted(value for value, _ in field.choices) == sorted(member.value for member in enum)
    assert all(str(label) for _, label in field.choices)


def test_a_core_member_without_a_label_stops_the_start() -> None:
    class Kind(StrEnum):
        A = "a"
        B = "b"

    with pytest.raises(ImproperlyConfigured, match="B"):
        labelled(Kind, {Kind.A: "A"})

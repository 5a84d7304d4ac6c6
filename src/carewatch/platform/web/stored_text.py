"""Every text column of our models is saved without bidi controls (platform/lib/text.py).

One pre_save receiver, so a form, the admin, the API and a script all get it, instead of
each form remembering it. `QuerySet.update()` and bulk writes skip signals: the code that
uses them writes values it made itself, not typed text.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from carewatch.platform.lib.text import has_bidi, strip_bidi


def strip_direction_controls(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    if not sender.__module__.startswith("carewatch."):
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str) and has_bidi(value):
                setattr(instance, field.attname, strip_bidi(value))

"""Messages read in the reader's language of today. A row keeps the text it was sent
with (the audit trail); when the sender also stored the message's msgid and values
(payload["i18n"]), pages translate it again in the active language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext


def i18n_payload(subject: Any, text: Any, values: dict[str, Any]) -> dict[str, Any]:
    """What a sender adds to the payload: the untranslated msgids and plain values."""
    return {"subject": str(subject), "text": str(text), "values": values}


def reread(message: Any) -> tuple[str, str]:
    """(subject, text) in the active language; what was stored if anything is amiss."""
    stored = (message.subject, message.text)
    spec = (message.payload or {}).get("i18n")
    if not isinstance(spec, dict):
        return stored
    try:
        values = {str(k): str(v) for k, v in spec["values"].items()}
        return gettext(spec["subject"]) % values, gettext(spec["text"]) % values
    except (KeyError, TypeError, ValueError, AttributeError):
        return stored

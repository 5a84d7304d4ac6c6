"""Why an uploaded file cannot be used, as a code: plain Python, no Django.

uploads.py and dicom.py raise it; carewatch.eyes.wording says it in the user's language
(the one place the sentences are written), from `code` and `params`.
"""

from __future__ import annotations

CODES = (
    "empty",
    "too_big",
    "pdf",
    "dicom_no_image",
    "dicom_frames",
    "dicom_unreadable",
    "format",
    "bomb",
    "unreadable",
    "too_small",
)


class BadUpload(ValueError):
    """The file cannot be used: `code` is one of CODES (each has its sentence in
    eyes/wording.py: a test checks), `params` fill the sentence."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, params)
        self.code, self.params = code, params

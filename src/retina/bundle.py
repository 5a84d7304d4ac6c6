"""The model bundle: model.onnx + metadata.json + MODEL_CARD.md, checked by sha256."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

DEFAULT_BUNDLE = Path(__file__).resolve().parent / "bundle"


class BundleError(RuntimeError):
    """The bundle is missing, incomplete or its weights do not match metadata.json."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_metadata(folder: Path) -> dict[str, Any]:
    try:
        metadata: dict[str, Any] = json.loads((folder / "metadata.json").read_text())
    except (OSError, ValueError) as exc:
        raise BundleError(
            f"Cannot read {folder / 'metadata.json'} ({exc}); "
            "reinstall the package or point to a complete bundle."
        ) from exc
    return metadata


def verified_weights(folder: Path, metadata: dict[str, Any]) -> Path:
    """The ONNX file's path, once its sha256 matches the one metadata.json declares."""
    weights = folder / metadata["weights"]["file"]
    if not weights.is_file():
        raise BundleError(f"The bundle has no {weights.name}; reinstall the package.")
    actual = sha256_of(weights)
    if actual != metadata["weights"]["sha256"]:
        raise BundleError(
            f"{weights} has sha256 {actual}, but metadata.json declares "
            f"{metadata['weights']['sha256']}: refusing weights that are not the ones "
            "the metrics were measured on. Restore the bundle from the release."
        )
    return weights

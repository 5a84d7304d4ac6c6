"""The model bundle: model.onnx (and any ensemble partner) + metadata.json + MODEL_CARD.md,
every network checked by sha256."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from retina.profiles import MAIN_MODEL

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
    """The main ONNX file's path, once its sha256 matches the one metadata.json declares."""
    return _verified(folder, metadata["weights"])


def verified_models(folder: Path, metadata: dict[str, Any]) -> dict[str, Path]:
    """Every network of the bundle by name ("main" and those of "more_weights"), checked."""
    more = metadata.get("more_weights", {})
    return {MAIN_MODEL: verified_weights(folder, metadata)} | {
        name: _verified(folder, entry) for name, entry in more.items()
    }


def _verified(folder: Path, entry: dict[str, Any]) -> Path:
    weights = folder / entry["file"]
    if not weights.is_file():
        raise BundleError(f"The bundle has no {weights.name}; reinstall the package.")
    actual = sha256_of(weights)
    if actual != entry["sha256"]:
        raise BundleError(
            f"{weights} has sha256 {actual}, but metadata.json declares "
            f"{entry['sha256']}: refusing weights that are not the ones "
            "the metrics were measured on. Restore the bundle from the release."
        )
    return weights

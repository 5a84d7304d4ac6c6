"""Camera profiles: which input size and referable threshold serve a photo.

A profile is chosen from the photo's size (its long side) and, where the photo came
as DICOM, from the camera's Manufacturer / ManufacturerModelName tags. The bundle's
metadata.json lists the profiles; the first whose camera names match wins, else the
first whose size range holds the photo. A profile grades with one or more views (a
network of the bundle, the photo as it is or mirrored) and averages their scores:
test-time flips, and a small ensemble where a second network measured better. Pure
logic, no model.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

MAIN_MODEL = "main"  # metadata["weights"]; other names are keys of metadata["more_weights"]
FLIPS = ("none", "h", "v", "hv")  # h: left-right, v: upside down


@dataclass(frozen=True)
class View:
    """One pass of a network over the photo. A profile's scores are its views' mean."""

    model: str = MAIN_MODEL
    flip: str = "none"

    def __post_init__(self) -> None:
        if self.flip not in FLIPS:
            raise ValueError(f"Unknown flip {self.flip!r}; use one of {', '.join(FLIPS)}.")


@dataclass(frozen=True)
class Profile:
    name: str
    input_size: int  # model input, pixels (square)
    threshold: float  # referable DR at >= 90 % sensitivity on this profile's validation
    min_long_side: int = 0  # inclusive
    max_long_side: int = 0  # exclusive; 0: no upper limit
    cameras: tuple[str, ...] = ()  # lower-case substrings of "manufacturer model"
    urgent_threshold: float | None = None  # vision-threatening DR flag; None: not offered
    views: tuple[View, ...] = (View(),)

    def fits(self, long_side: int) -> bool:
        upper = self.max_long_side or long_side + 1
        return self.min_long_side <= long_side < upper


def from_metadata(metadata: dict[str, Any]) -> list[Profile]:
    """The bundle's profiles; a 1.0.0 bundle has one threshold and one size for all."""
    rows = metadata.get("profiles")
    if rows:
        known = {f.name for f in fields(Profile)}  # the rows also carry validation counts
        return [
            Profile(
                **{k: v for k, v in row.items() if k in known}
                | {"cameras": tuple(row.get("cameras", ()))}
                | {"views": tuple(View(**v) for v in row.get("views", [{}]))}
            )
            for row in rows
        ]
    size = metadata["preprocessing"]["input_size"]
    return [Profile("all", size, metadata["thresholds"]["referable"])]


def models_of(profiles: list[Profile]) -> set[str]:
    """The bundle's networks these profiles need."""
    return {view.model for profile in profiles for view in profile.views}


def choose(profiles: list[Profile], source_size: tuple[int, int], camera: str = "") -> Profile:
    """The profile for a photo of this (width, height), from this camera if known."""
    name = camera.lower().strip()
    for profile in profiles:
        if name and any(c in name for c in profile.cameras):
            return profile
    long_side = max(source_size)
    return next((p for p in profiles if p.fits(long_side)), profiles[-1])

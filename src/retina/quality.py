"""Is a photo gradable? Cheap image statistics with thresholds set on the real sets.

Calibrated on the 8,321 graded photos of ../shared/fundus (idrid, aptos224, eyepacs256,
eyepacs256_extra, eyepacs_full) and on degraded copies: darkened (brightness x
0.08-0.15) and blurred (Gaussian, radius 1/20, 1/40 and 1/80 of the width) copies are
caught. EyePACS 10464_left (a blue-cast photo, R/B 1.34) passes since MIN_REDNESS went
from 1.4 to 1.25 (a portrait measures 1.17). The tests repeat these checks.

Sharpness is measured at the size the photo is graded at (its camera profile's input).
At 224 px, inside the disc, the 7,906 small photos measure 0.0825 and up (median 0.38)
and their blurred copies at most 0.060: MIN_SHARPNESS 0.08. The 415 camera frames
(IDRiD, EyePACS full frames) are graded at 384 px since bundle 2.0.0, where the ratio
runs lower (fine detail spans more pixels): 0.068-0.42, median 0.24, and 0.08 refused
IDRiD_059 (0.068, a real photo around one large smooth lesion). Worse, a frame's edge
against black (its surround, or the padding where the frame ends) stays sharp when the
retina is blurred: over the whole disc, blurred copies of the frames measured up to 0.17
and passed (365, 300 and 38 of 415 at radius 1/20, 1/40, 1/80 of the width). Measured
over the retina only, away from black, the blurred copies reach 0.018 and the real frames
start at 0.068: MIN_SHARPNESS_FRAME 0.035 sits about halfway (x2 either side).

One graded photo is refused: EyePACS 14915_right (label: grade 2), a washed-out frame
with no vessel or disc to see, grey (R, G and B means equal within 0.03 over the frame;
its colour is noise) and with bright corners: "not_fundus". Forced through, the model
has no opinion on it (P(grade >= 1) 0.49, >= 2 0.48, >= 3 0.33: grade 0) yet it would
be flagged referable (0.52) and urgent: refusing it is right whatever its label says,
and no threshold was moved for it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

from retina.preprocess import BACKGROUND_LEVEL, SIZE, Fundus, circle_mask

MIN_SIDE = 200  # pixels: smaller photos cannot show microaneurysms
MIN_BRIGHTNESS = 20.0  # mean 0-255 inside the disc; real photos: min 28.6
MIN_SHARPNESS = 0.08  # fine / coarse detail inside the disc, graded at 224 px (see above)
MIN_SHARPNESS_FRAME = 0.035  # the same over the retina of a frame graded above 224 px
EDGE_BAND = 12  # px: the coarse blur's reach (3 sigma) from anything black
MAX_CORNER_BRIGHTNESS = 35.0  # a fundus camera frames the disc with black corners ...
MIN_REDNESS = 1.25  # ... unless the disc fills the frame; then it must be red (R / B)
MIN_COLOUR = 6.0  # mean |R - G| + |G - B| inside the disc: below this the photo is grey
# Why a photo is not gradable, as codes: the sentences (what to do next, in the reader's
# language) are the product's (carewatch.eyes.wording), so a reworded sentence here can
# never break a translation there. too_small's size is measures["min_side"].
REASONS = ("too_small", "greyscale", "not_fundus", "too_dark", "blurred")


@dataclass(frozen=True)
class Quality:
    gradable: bool
    reason: str  # "" when gradable; otherwise one of REASONS (the product words it for people)
    measures: dict[str, float]


def measure(fundus: Fundus) -> dict[str, float]:
    """Only the disc's pixels are converted to float: the same float32 values and sums as
    over the whole image, at a fraction of the cost (a camera frame is graded at 384 px)."""
    inside = circle_mask(fundus.rgb.shape[0], 0.8)
    r, g, b = (fundus.rgb[..., i][inside].astype(np.float32) for i in range(3))
    sharp_over = retina_mask(fundus.rgb, inside) if is_frame(fundus) else inside
    return {
        "min_side": float(min(fundus.source_size)),
        "brightness": float(((r + g + b) / 3).mean()),  # the grey (RGB mean) of each pixel
        "sharpness": detail_ratio(fundus.rgb[..., 1], sharp_over),
        "corner_brightness": fundus.corner_brightness,
        "redness": float(r.mean() / max(b.mean(), 1.0)),
        "colour": float(np.abs(r - g).mean() + np.abs(g - b).mean()),
    }


def is_frame(fundus: Fundus) -> bool:
    """A camera frame, graded at a larger input than the 224 px of small photos."""
    return fundus.rgb.shape[0] > SIZE


def retina_mask(rgb: np.ndarray, inside: np.ndarray) -> np.ndarray:
    """Inside the disc and away from black (the camera's surround, or the padding where the
    frame ends): that edge stays sharp in a blurred photo. The whole disc if nothing is left."""
    brightest = np.maximum(np.maximum(rgb[..., 0], rgb[..., 1]), rgb[..., 2])  # max(axis=2)
    black = Image.fromarray((brightest <= BACKGROUND_LEVEL).view(np.uint8) * np.uint8(255))
    near_black = np.asarray(black.filter(ImageFilter.BoxBlur(EDGE_BAND))) > 0
    retina = inside & ~near_black
    return retina if retina.any() else inside


def detail_ratio(green: np.ndarray, inside: np.ndarray) -> float:
    """Detail finer than 1 px over detail finer than 4 px: a blurred photo lost the former.

    A ratio, so it does not depend on exposure or on how much the photo shows.
    """
    img = Image.fromarray(green)
    g = green[inside].astype(np.int16)

    def detail(radius: int) -> np.float32:  # exact integer differences, a float32 mean
        blurred = np.asarray(img.filter(ImageFilter.GaussianBlur(radius)))[inside]
        return np.float32(np.abs(g - blurred).astype(np.float32).mean())

    return float(detail(1) / max(detail(4), np.float32(1e-3)))


def assess(fundus: Fundus) -> Quality:
    """Gradable, or the first reason it is not (checked in the order a photographer fixes)."""
    m = measure(fundus)
    if m["min_side"] < MIN_SIDE:
        return Quality(False, "too_small", m)
    if fundus.mode not in ("RGB", "RGBA", "CMYK", "YCbCr", "P") or m["colour"] < MIN_COLOUR:
        return Quality(False, "greyscale", m)
    if m["corner_brightness"] > MAX_CORNER_BRIGHTNESS and m["redness"] < MIN_REDNESS:
        return Quality(False, "not_fundus", m)
    if m["brightness"] < MIN_BRIGHTNESS:
        return Quality(False, "too_dark", m)
    if m["sharpness"] < (MIN_SHARPNESS_FRAME if is_frame(fundus) else MIN_SHARPNESS):
        return Quality(False, "blurred", m)
    return Quality(True, "", m)

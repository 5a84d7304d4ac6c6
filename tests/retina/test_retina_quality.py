from __future__ import annotations

import io

import matplotlib.cbook
import numpy as np
import pytest
from PIL import Image, ImageEnhance, ImageFilter
from retina_fakes import fake_fundus, jpeg_bytes, real_fundus_folder

from retina.data import load_sets
from retina.infer import load_bundle
from retina.preprocess import BACKGROUND_LEVEL, circle_mask, load_fundus
from retina.quality import EDGE_BAND, MIN_SHARPNESS_FRAME, assess, measure


def verdict(img: Image.Image) -> str:
    q = assess(load_fundus(jpeg_bytes(img)))
    return "gradable" if q.gradable else q.reason


def test_it_passes_a_clean_synthetic_fundus():
    assert verdict(fake_fundus()) == "gradable"


def test_it_catches_a_dark_photo():
    assert verdict(ImageEnhance.Brightness(fake_fundus()).enhance(0.08)) == "too_dark"


def test_it_catches_a_blurred_photo():
    assert verdict(fake_fundus().filter(ImageFilter.GaussianBlur(10))) == "blurred"


def test_it_catches_a_photo_too_small_to_grade():
    assert verdict(fake_fundus().resize((120, 90))) == "too_small"


def test_it_catches_a_greyscale_photo():
    img = fake_fundus().convert("L")
    assert verdict(img) == "greyscale"
    assert verdict(img.convert("RGB")) == "greyscale"


def test_it_catches_a_portrait_that_is_not_a_fundus_photo():
    photo = Image.open(matplotlib.cbook.get_sample_data("grace_hopper.jpg", asfileobj=False))
    assert verdict(photo) == "not_fundus"


@pytest.mark.parametrize("colour", [(90, 150, 230), (60, 160, 70), (240, 240, 235)])
def test_it_catches_flat_scenes_that_are_not_fundus_photos(colour):
    rng = np.random.default_rng(1)
    pixels = np.clip(np.array(colour) + rng.normal(0, 25, (400, 600, 3)), 0, 255)
    assert verdict(Image.fromarray(pixels.astype(np.uint8))) != "gradable"


def test_it_passes_real_fundus_photos_from_every_set():
    root = real_fundus_folder()
    examples = load_sets(root)[::40]  # 156 photos across the three sets
    refused = [
        ex.image
        for ex in examples
        if not assess(load_fundus(root / ex.dataset / ex.image)).gradable
    ]
    assert refused == []


def test_it_catches_degraded_copies_of_real_photos():
    root = real_fundus_folder()
    for ex in load_sets(root)[::400]:
        img = Image.open(root / ex.dataset / ex.image).convert("RGB")
        dark = ImageEnhance.Brightness(img).enhance(0.08)
        blurred = img.filter(ImageFilter.GaussianBlur(img.width / 40))
        buf = io.BytesIO()
        img.convert("L").save(buf, "JPEG")
        assert not assess(load_fundus(jpeg_bytes(dark))).gradable, ex.image
        assert not assess(load_fundus(jpeg_bytes(blurred))).gradable, ex.image
        assert not assess(load_fundus(buf.getvalue())).gradable, ex.image


def as_graded(path_or_bytes):
    """The gate as grading applies it: at the photo's camera profile's input size."""
    grader = load_bundle()
    return grader.check_many([path_or_bytes])[0]


def test_it_passes_idrid_059_a_sharp_frame_around_one_large_smooth_lesion():
    result = as_graded(real_fundus_folder() / "idrid" / "IDRiD_059.jpg")
    assert (result.status, result.profile) == ("graded", "full_frame")
    assert 0.06 < result.quality["sharpness"] < 0.08  # refused at 224 px's 0.08


def test_it_refuses_eyepacs_14915_right_a_washed_out_frame_with_no_retina_to_see():
    result = as_graded(real_fundus_folder() / "eyepacs256" / "14915_right.jpg")
    assert (result.status, result.reason) == ("ungradable", "not_fundus")


def test_it_catches_blurred_copies_of_camera_frames_whose_edge_stays_sharp():
    root = real_fundus_folder()
    frames = [ex for ex in load_sets(root, ("idrid", "eyepacs_full"))][::25]
    for ex in frames:
        img = Image.open(root / ex.dataset / ex.image).convert("RGB")
        assert as_graded(root / ex.dataset / ex.image).gradable, ex.image
        for share in (20, 40, 80):
            blurred = as_graded(jpeg_bytes(img.filter(ImageFilter.GaussianBlur(img.width / share))))
            assert blurred.reason == "blurred", (ex.image, share)


def test_a_blurred_frame_cut_off_by_the_photos_edge_is_still_blurred():
    """The crop pads black where the frame ends: a sharp step the retina does not have."""
    photo = fake_fundus(800, 800).crop((0, 150, 800, 650)).filter(ImageFilter.GaussianBlur(12))
    result = as_graded(jpeg_bytes(photo))
    assert result.profile == "full_frame"
    assert result.reason == "blurred"
    assert result.quality["sharpness"] < MIN_SHARPNESS_FRAME


def whole_image_measures(rgb: np.ndarray) -> dict[str, float]:
    """The gate's measures as first written: every pixel in float32, then the disc's."""
    pixels = rgb.astype(np.float32)
    inside = circle_mask(rgb.shape[0], 0.8)
    green = Image.fromarray(rgb[..., 1])
    g = rgb[..., 1].astype(np.float32)
    blurs = [np.asarray(green.filter(ImageFilter.GaussianBlur(r)), np.float32) for r in (1, 4)]
    fine, coarse = (np.abs(g - blur) for blur in blurs)
    black = Image.fromarray(((rgb.max(axis=2) <= BACKGROUND_LEVEL) * 255).astype(np.uint8))
    near_black = np.asarray(black.filter(ImageFilter.BoxBlur(EDGE_BAND))) > 0
    over = inside & ~near_black if rgb.shape[0] > 224 else inside
    return {
        "brightness": float(pixels.mean(axis=2)[inside].mean()),
        "sharpness": float(fine[over].mean() / max(coarse[over].mean(), 1e-3)),
    }


@pytest.mark.parametrize("size", [224, 384])
def test_the_gate_measures_the_disc_exactly_as_over_the_whole_image(size):
    for seed in range(3):
        fundus = load_fundus(jpeg_bytes(fake_fundus(1024, 680, seed=seed)), size)
        measures = measure(fundus)
        for name, value in whole_image_measures(fundus.rgb).items():
            assert measures[name] == value, (name, seed)

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from retina_fakes import fake_fundus, jpeg_bytes

from retina.preprocess import (
    BACKGROUND_LEVEL,
    SIZE,
    InvalidImage,
    ben_graham,
    crop_to_fundus,
    fundus_box,
    load_fundus,
    normalise,
)


def test_it_crops_to_the_fundus_circle_and_resizes_to_the_input_size():
    rgb = crop_to_fundus(fake_fundus(800, 500))
    assert rgb.shape == (SIZE, SIZE, 3)
    assert rgb[SIZE // 2, SIZE // 2].sum() > 200  # the disc fills the middle
    assert rgb[0, 0].sum() < 30 and rgb[-1, -1].sum() < 30  # corners stay black
    assert rgb[SIZE // 2, 3].sum() > 100  # the disc's edge reaches the frame


def test_it_keeps_a_cut_off_circle_round_by_padding_to_a_square():
    img = fake_fundus(900, 900).crop((0, 150, 900, 750))  # top and bottom of the disc cut
    rgb = crop_to_fundus(img)
    assert rgb[5, SIZE // 2].sum() < 30  # black padding above the cut
    assert rgb[SIZE // 2, 5].sum() > 100


def test_it_decodes_a_big_jpeg_at_reduced_scale_with_the_same_result():
    photo = fake_fundus(2144, 1424)  # >= 4x the input: decoded at 1/4 scale
    big = load_fundus(jpeg_bytes(photo))
    small = load_fundus(jpeg_bytes(photo.resize((536, 356))))
    assert big.source_size == (2144, 1424)
    assert np.abs(big.rgb.astype(int) - small.rgb.astype(int)).mean() < 6


def test_it_normalises_to_the_models_scaling():
    rgb = crop_to_fundus(fake_fundus())
    x = normalise(rgb, local_contrast=False)
    assert x.shape == (3, SIZE, SIZE) and x.dtype == np.float32
    assert x.min() >= -1 and x.max() <= 1


def test_it_applies_local_contrast_with_a_neutral_background():
    out = ben_graham(crop_to_fundus(fake_fundus()))
    assert out.shape == (SIZE, SIZE, 3)
    assert (out[0, 0] == 128).all()
    assert abs(float(out[SIZE // 2 - 20 : SIZE // 2 + 20, 40:80].mean()) - 128) < 20


def test_it_is_deterministic():
    data = jpeg_bytes(fake_fundus())
    assert (load_fundus(data).rgb == load_fundus(data).rgb).all()


@pytest.mark.parametrize("data", [b"", b"not an image at all", b"\xff\xd8\xff\xe0" + b"\0" * 50])
def test_it_refuses_bytes_that_are_not_an_image(data):
    with pytest.raises(InvalidImage):
        load_fundus(data)


def test_it_refuses_a_header_claiming_enormous_dimensions():
    img = Image.new("RGB", (10, 10))
    data = bytearray(jpeg_bytes(img))
    sof = data.index(b"\xff\xc0")  # baseline frame header: height and width follow
    data[sof + 5 : sof + 9] = (60000).to_bytes(2, "big") + (60000).to_bytes(2, "big")
    with pytest.raises(InvalidImage, match="too large|claims"):
        load_fundus(bytes(data))


@pytest.mark.parametrize("mode", ["RGB", "P", "RGBA", "CMYK"])
def test_load_fundus_crops_every_mode_as_crop_to_fundus_does(mode):
    img = fake_fundus(1024, 680).convert(mode)
    buffer = io.BytesIO()
    img.save(buffer, "TIFF" if mode == "CMYK" else "PNG")
    fundus = load_fundus(buffer.getvalue(), 384)
    gray = np.asarray(img.convert("L"))
    assert (fundus.rgb == crop_to_fundus(img, 384)).all()
    assert fundus.fundus_fraction == float((gray > BACKGROUND_LEVEL).mean())


def test_the_fundus_box_counts_the_same_rows_as_a_mean_over_the_mask():
    rng = np.random.default_rng(1)
    gray = (rng.random((300, 400)) < 0.021).astype(np.uint8) * 200  # near the 2 % cut
    mask = gray > BACKGROUND_LEVEL
    rows = np.flatnonzero(mask.mean(axis=1) > 0.02)
    cols = np.flatnonzero(mask.mean(axis=0) > 0.02)
    assert fundus_box(gray) == (cols[0], rows[0], cols[-1] + 1, rows[-1] + 1)

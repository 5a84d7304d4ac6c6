"""Camera profiles: the input size and thresholds chosen from the photo's size or camera."""

from __future__ import annotations

from retina.profiles import Profile, choose, from_metadata

PROFILES = [
    Profile("small", 224, 0.2, max_long_side=240),
    Profile("crop", 224, 0.3, min_long_side=240, max_long_side=512),
    Profile("camera", 384, 0.4, min_long_side=512, cameras=("kowa",)),
]


def test_it_picks_the_profile_whose_size_range_holds_the_long_side():
    assert choose(PROFILES, (224, 224)).name == "small"
    assert choose(PROFILES, (256, 256)).name == "crop"
    assert choose(PROFILES, (1024, 680)).name == "camera"
    assert choose(PROFILES, (3000, 4000)).name == "camera"


def test_a_known_camera_wins_over_the_photo_size():
    assert choose(PROFILES, (256, 256), camera="KOWA VX-10alpha").name == "camera"
    assert choose(PROFILES, (256, 256), camera="Topcon TRC-NW8").name == "crop"


def test_a_bundle_without_profiles_serves_every_photo_with_its_one_threshold():
    meta = {"preprocessing": {"input_size": 224}, "thresholds": {"referable": 0.119}}
    (only,) = from_metadata(meta)
    assert (only.input_size, only.threshold) == (224, 0.119)
    assert choose([only], (4000, 3000)) is only


def test_profiles_are_read_from_the_metadata_with_their_camera_names():
    row = {
        "name": "camera",
        "input_size": 384,
        "threshold": 0.4,
        "cameras": ["kowa"],
        "referable": 9,
    }
    (profile,) = from_metadata({"profiles": [row]})
    assert profile.cameras == ("kowa",) and profile.urgent_threshold is None

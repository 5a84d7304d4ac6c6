"""The labelled fundus sets in ../shared/fundus, their split, and the training archive.

Split rule (deterministic, recorded in the bundle): a group goes to validation when
sha256("<set>:<group>") mod 100 < 20. The group is the patient for EyePACS (both eyes
of a patient stay on one side) and the image for IDRiD and APTOS, which publish no
patient identifiers. The three EyePACS folders share patients, so they all hash as
"eyepacs256:<patient>": a patient is on one side in every folder, and the 1.0.0 split
of eyepacs256 is unchanged (its validation figures stay comparable).
"""

from __future__ import annotations

import csv
import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from retina.preprocess import SIZE, load_fundus

DEFAULT_ROOT = Path(__file__).resolve().parents[2].parent / "shared" / "fundus"
SETS = ("idrid", "aptos224", "eyepacs256", "eyepacs256_extra", "eyepacs_full")
SETS_1_0 = ("idrid", "aptos224", "eyepacs256")  # what bundle 1.0.0 was trained on
# Folders that hold the same population: one patient, one side of the split.
SPLIT_FAMILY = {"eyepacs256_extra": "eyepacs256", "eyepacs_full": "eyepacs256"}
VALIDATION_PERCENT = 20
NO_LABEL = -1


@dataclass(frozen=True)
class Example:
    dataset: str
    image: str
    dr_grade: int
    dme_risk: int  # NO_LABEL where the set has no DME grading
    group: str

    @property
    def split(self) -> str:
        return split_of(self.dataset, self.group)


def split_of(dataset: str, group: str) -> str:
    family = SPLIT_FAMILY.get(dataset, dataset)
    digest = hashlib.sha256(f"{family}:{group}".encode()).hexdigest()
    return "val" if int(digest, 16) % 100 < VALIDATION_PERCENT else "train"


def read_labels(csv_path: Path, dataset: str = "") -> list[Example]:
    """Rows of a labels.csv (image,dr_grade[,dme_risk][,patient])."""
    with open(csv_path, newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [
        Example(
            dataset=dataset or csv_path.parent.name,
            image=row["image"],
            dr_grade=int(row["dr_grade"]),
            dme_risk=int(row["dme_risk"]) if row.get("dme_risk") not in (None, "") else NO_LABEL,
            group=row.get("patient") or row["image"],
        )
        for row in rows
    ]


def load_sets(root: Path = DEFAULT_ROOT, sets: tuple[str, ...] = SETS) -> list[Example]:
    return [ex for name in sets for ex in read_labels(root / name / "labels.csv", name)]


def write_labels(examples: list[Example], csv_path: Path) -> None:
    """Write the `image,dr_grade,dme_risk` CSV that `retina evaluate` reads."""
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    with open(csv_path, "w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["image", "dr_grade", "dme_risk"])
        for ex in examples:
            out.writerow([ex.image, ex.dr_grade, "" if ex.dme_risk == NO_LABEL else ex.dme_risk])


def write_split(examples: list[Example], csv_path: Path) -> None:
    """Record which image went where (the bundle ships this file)."""
    with open(csv_path, "w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["dataset", "image", "group", "dr_grade", "dme_risk", "split"])
        for ex in examples:
            out.writerow([ex.dataset, ex.image, ex.group, ex.dr_grade, ex.dme_risk, ex.split])


def read_split(csv_path: Path) -> list[Example]:
    with open(csv_path, newline="") as fh:
        return [
            Example(r["dataset"], r["image"], int(r["dr_grade"]), int(r["dme_risk"]), r["group"])
            for r in csv.DictReader(fh)
        ]


def build_archive(root: Path, out: Path, quality: int = 80, size: int = SIZE) -> list[Example]:
    """Crop every image with `retina.preprocess` and re-encode it small, for the GPU machine."""
    examples = load_sets(root)

    def encode(ex: Example) -> None:
        target = out / ex.dataset / ex.image
        target.parent.mkdir(parents=True, exist_ok=True)
        rgb = load_fundus(root / ex.dataset / ex.image, size).rgb
        Image.fromarray(rgb).save(target.with_suffix(".jpg"), quality=quality, optimize=True)

    with ThreadPoolExecutor() as pool:
        list(pool.map(encode, examples))
    write_split(examples, out / "split.csv")
    return examples


def load_archive(folder: Path, local_contrast: bool) -> tuple[list[Example], np.ndarray]:
    """All archived crops as one uint8 NHWC array, normalised like serving does."""
    from retina.preprocess import ben_graham

    examples = read_split(folder / "split.csv")

    def decode(ex: Example) -> np.ndarray:
        path = (folder / ex.dataset / ex.image).with_suffix(".jpg")
        rgb = np.asarray(Image.open(path).convert("RGB"))
        return ben_graham(rgb) if local_contrast else rgb

    with ThreadPoolExecutor() as pool:
        images = np.stack(list(pool.map(decode, examples)))
    return examples, images

"""Grade fundus photos with the bundled ONNX model (ONNX Runtime; no PyTorch needed)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from retina import metrics, profiles
from retina.bundle import DEFAULT_BUNDLE, BundleError, read_metadata, verified_models
from retina.preprocess import Fundus, InvalidImage, load_fundus, normalise
from retina.quality import assess

Source = bytes | str | Path


@dataclass
class GradeResult:
    """One photo's outcome. `grade` and the probabilities are None unless `gradable`."""

    status: str  # "graded", "ungradable" (with a reason) or "invalid" (not a usable image)
    reason: str  # ungradable: a retina.quality.REASONS code; invalid: what is wrong, in English
    model_version: str
    grade: int | None = None  # ICDR 0-4
    grade_probabilities: list[float] | None = None
    referable_probability: float | None = None
    referable: bool | None = None  # referable_probability >= the camera profile's threshold
    dme_risk: int | None = None  # 0 none, 1 exudates away from the macula, 2 near it
    dme_probabilities: list[float] | None = None
    # Vision-threatening DR (severe NPDR, PDR, or exudates within one disc diameter of the
    # macula): urgent referral. Probability = max(P(grade >= 3), P(DME risk 2)).
    urgent: bool | None = None
    urgent_probability: float | None = None
    profile: str = ""  # the camera profile (input size and thresholds) that graded it
    heatmap: np.ndarray | None = field(default=None, repr=False)  # uint8 (S, S)
    image: np.ndarray | None = field(default=None, repr=False)  # the cropped RGB input
    quality: dict[str, float] = field(default_factory=dict)

    @property
    def gradable(self) -> bool:
        return self.status == "graded"

    def summary(self) -> dict[str, Any]:
        """JSON-friendly fields (no arrays)."""
        skip = {"heatmap", "image"}
        out = {k: v for k, v in self.__dict__.items() if k not in skip}
        return {"gradable": self.gradable, **out}


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _session(weights: Path, device: str, threads: int) -> Any:
    import onnxruntime as ort

    providers = ["CPUExecutionProvider"]
    if device != "cpu" and "CUDAExecutionProvider" in ort.get_available_providers():
        providers.insert(0, "CUDAExecutionProvider")
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = threads
    return ort.InferenceSession(str(weights), options, providers=providers)


class Grader:
    """Holds the ONNX sessions and the bundle's metadata; thread-safe for `grade` calls."""

    def __init__(self, folder: Path, device: str = "cpu"):
        self.metadata = read_metadata(folder)
        self.models = verified_models(folder, self.metadata)
        self.weights = self.models[profiles.MAIN_MODEL]
        self.device = device
        # One photo: all CPUs on it (respects taskset / container limits). Many photos:
        # single-threaded sessions, one CPU per photo, several photos at once (grade_many).
        self._sessions: dict[tuple[str, int], Any] = {}
        self._lock = threading.Lock()
        self.version: str = self.metadata["version"]
        self.profiles = profiles.from_metadata(self.metadata)
        self.threshold: float = self.metadata["thresholds"]["referable"]  # the default profile's
        self.local_contrast: bool = self.metadata["preprocessing"]["local_contrast"]
        if missing := profiles.models_of(self.profiles) - set(self.models):
            raise BundleError(
                f"The camera profiles ask for network {', '.join(sorted(missing))}, which "
                "metadata.json does not list; restore the bundle from the release."
            )

    @property
    def session(self) -> Any:
        """The main network's session on every CPU (one photo at a time)."""
        return self.session_for(profiles.MAIN_MODEL, usable_cpus())

    @property
    def size(self) -> int:
        """The input size of the first (default) profile."""
        return self.profiles[0].input_size

    def profile_for(self, source_size: tuple[int, int], camera: str = "") -> profiles.Profile:
        return profiles.choose(self.profiles, source_size, camera)

    def grade(self, source: Source, camera: str = "") -> GradeResult:
        """camera: DICOM Manufacturer and ManufacturerModelName when known (picks the profile)."""
        return self.grade_many([source], camera=camera)[0]

    def grade_many(
        self,
        sources: Sequence[Source],
        batch_size: int = 8,
        workers: int = 0,
        keep_images: bool = True,
        camera: str = "",
    ) -> list[GradeResult]:
        """Grade photos in batches; results keep the order of `sources`.

        Each of `workers` threads (default: one per CPU) decodes, checks and grades its own
        batch of at most batch_size photos on a single-threaded model session, so the CPUs
        work on different photos rather than sharing every layer of one batch: on 2 cores
        that takes less CPU per photo, and decoding never waits for the model. Only one
        batch of model inputs per worker is held at a time. keep_images=False drops the
        cropped image and heatmap arrays (for evaluating thousands of photos).
        """
        workers = workers or usable_cpus()
        if len(sources) <= 1:  # all CPUs on each layer of the one photo
            return self._grade(sources, keep_images, camera, usable_cpus())
        one_cpu_each = self.device == "cpu" and workers > 1
        threads = 1 if one_cpu_each else usable_cpus()
        size = min(batch_size, -(-len(sources) // workers))  # every worker gets a batch
        with ThreadPoolExecutor(workers) as pool:
            batches = pool.map(
                lambda chunk: self._grade(chunk, keep_images, camera, threads),
                _chunks(sources, size),
            )
            return [result for batch in batches for result in batch]

    def session_for(self, model: str, threads: int) -> Any:
        """A network's ONNX session on `threads` CPU threads, made once and shared."""
        with self._lock:
            key = (model, threads)
            if key not in self._sessions:
                self._sessions[key] = _session(self.models[model], self.device, threads)
            return self._sessions[key]

    def photo_session(self) -> Any:
        """The main network's single-threaded session, as grade_many runs it per thread."""
        return self.session_for(profiles.MAIN_MODEL, 1)

    def _grade(
        self, sources: Sequence[Source], keep_images: bool, camera: str, threads: int
    ) -> list[GradeResult]:
        return self._run([self._prepare(s, camera) for s in sources], keep_images, threads)

    def check_many(
        self, sources: Sequence[Source], workers: int = 2, camera: str = ""
    ) -> list[GradeResult]:
        """The quality gate alone, as grade_many applies it (each photo at its camera
        profile's size), without the model: "graded" means it would be graded."""
        with ThreadPoolExecutor(workers) as pool:
            prepared = pool.map(lambda s: self._prepare(s, camera)[0], sources)
            results = list(prepared)
        for result in results:
            result.image = None
        return results

    def _run(
        self,
        prepared: list[tuple[GradeResult, np.ndarray | None]],
        keep_images: bool,
        threads: int,
    ) -> list[GradeResult]:
        todo = [(r, x) for r, x in prepared if x is not None]
        for profile in self.profiles:  # one batch per camera profile (its size and views)
            group = [(r, x) for r, x in todo if r.profile == profile.name]
            if not group:
                continue
            batch = np.stack([x for _, x in group])
            scores, heatmaps = self._views(profile, batch, threads)
            for (result, _), s, h in zip(group, scores, heatmaps, strict=True):
                self._fill(result, s, h)
        if not keep_images:
            for result, _ in prepared:
                result.image = result.heatmap = None
        return [r for r, _ in prepared]

    def _views(
        self, profile: profiles.Profile, batch: np.ndarray, threads: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """The mean scores of the profile's views, and the mean heatmap of those views that
        run its first network (each mirrored back), so the map stays that network's."""
        scores, heatmaps = [], []
        for view in profile.views:
            session = self.session_for(view.model, threads)
            s, h = session.run(None, {"image": mirrored(batch, view.flip)})
            scores.append(s)
            if view.model == profile.views[0].model:
                heatmaps.append(mirrored(h, view.flip))
        return np.mean(scores, axis=0), np.mean(heatmaps, axis=0)

    def _prepare(self, source: Source, camera: str) -> tuple[GradeResult, np.ndarray | None]:
        try:
            fundus: Fundus = load_fundus(source, lambda wh: self.profile_for(wh, camera).input_size)
        except InvalidImage as exc:
            return GradeResult("invalid", str(exc), self.version), None
        except OSError as exc:  # unreadable path
            return GradeResult("invalid", f"Cannot read the file ({exc}).", self.version), None
        quality = assess(fundus)
        status = "graded" if quality.gradable else "ungradable"
        result = GradeResult(
            status, quality.reason, self.version, image=fundus.rgb, quality=quality.measures
        )
        result.profile = self.profile_for(fundus.source_size, camera).name
        return result, normalise(fundus.rgb, self.local_contrast) if quality.gradable else None

    def _fill(self, result: GradeResult, scores: np.ndarray, heatmap: np.ndarray) -> None:
        above, referable, dme = scores[:4], float(scores[4]), scores[5:]
        result.grade = int(metrics.ordinal_to_grade(above[None])[0])
        result.grade_probabilities = [
            round(float(p), 4) for p in metrics.ordinal_to_probabilities(above[None])[0]
        ]
        profile = next(p for p in self.profiles if p.name == result.profile)
        # The flag compares the probability as shown (and as the thresholds were fitted on
        # validation), so a photo at exactly the threshold is flagged as its figure says.
        result.referable_probability = round(referable, 4)
        result.referable = result.referable_probability >= profile.threshold
        result.dme_risk = int(dme.argmax())
        result.dme_probabilities = [round(float(p), 4) for p in dme]
        if profile.urgent_threshold is not None:  # bundles before 2.0.0 offer no such flag
            urgent = urgent_probability(scores)
            result.urgent_probability = round(urgent, 4)
            result.urgent = result.urgent_probability >= profile.urgent_threshold
        result.heatmap = (np.clip(heatmap, 0, 1) * 255).astype(np.uint8)


def mirrored(images: np.ndarray, flip: str) -> np.ndarray:
    """A batch (..., H, W) mirrored left-right ("h"), upside down ("v"), both or neither."""
    if "h" in flip:
        images = images[..., ::-1]
    if "v" in flip:
        images = images[..., ::-1, :]
    return np.ascontiguousarray(images)


def _chunks(sources: Sequence[Source], size: int) -> list[Sequence[Source]]:
    return [sources[i : i + size] for i in range(0, len(sources), size)]


def urgent_probability(scores: np.ndarray) -> float:
    """Vision-threatening DR: the larger of P(grade >= 3) and P(DME risk 2)."""
    return float(max(scores[2], scores[7]))


def load_bundle(path: Path | str | None = None, device: str = "cpu") -> Grader:
    """The grader for a bundle folder (default: the one shipped in this package).

    device "cpu" (default) or "cuda" (used when ONNX Runtime has the CUDA provider).
    Raises BundleError when the weights' sha256 does not match metadata.json.
    """
    return Grader(Path(path) if path else DEFAULT_BUNDLE, device)


def grade_paths(grader: Grader, paths: Iterable[Path]) -> list[GradeResult]:
    return grader.grade_many([Path(p) for p in paths])

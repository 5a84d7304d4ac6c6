"""Retina engine: grade diabetic retinopathy on fundus photos. Never imports Django.

grader = retina.load_bundle()          # the bundle shipped in this package
result = grader.grade(path_or_bytes)   # GradeResult; result.gradable first
"""

from retina.bundle import BundleError
from retina.infer import Grader, GradeResult, load_bundle

__all__ = ["BundleError", "GradeResult", "Grader", "load_bundle"]

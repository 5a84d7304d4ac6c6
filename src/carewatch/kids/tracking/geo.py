"""Distances on the Earth, and how far a point is from a place's edge.

Distances use a sphere of the mean Earth radius (haversine): within 0.5 % of the
ellipsoid, well under a metre at the size of a home or a school. Places are
measured on a local equirectangular projection centred on the place, accurate
to centimetres over a few kilometres.

Shapely repairs polygons drawn crossing themselves and indexes many places
(`places.PlaceSet`); the per-fix tests here are plain Python on the prepared
edges, because one shapely call per point costs more than the whole test for a
polygon of a few dozen edges.
"""

from __future__ import annotations

from functools import lru_cache
from math import asin, cos, inf, radians, sin, sqrt

import shapely

from .model import Circle, Polygon, Presence, Shape

EARTH_RADIUS_M = 6_371_008.8
M_PER_DEG_LAT = radians(1.0) * EARTH_RADIUS_M  # about 111,195 m
# Beyond this the flat projection is not trusted and a circle falls back to haversine.
_FLAT_LIMIT_M = 50_000.0

INSIDE = Presence.INSIDE
OUTSIDE = Presence.OUTSIDE


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two points in degrees."""
    p1 = radians(lat1)
    p2 = radians(lat2)
    h = sin((p2 - p1) / 2) ** 2 + cos(p1) * cos(p2) * sin(radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * asin(min(1.0, sqrt(h)))


def signed_distance_m(shape: Shape, lat: float, lon: float) -> float:
    """Distance from the point to the shape's edge in metres: negative inside."""
    return geometry_of(shape).signed_distance(lat, lon)


def _wrap(dlon: float) -> float:
    return dlon if -180.0 <= dlon <= 180.0 else (dlon + 180.0) % 360.0 - 180.0


class CircleGeometry:
    __slots__ = ("lat", "lon", "radius_m", "kx", "bbox")

    def __init__(self, circle: Circle) -> None:
        self.lat = circle.lat
        self.lon = circle.lon
        self.radius_m = circle.radius_m
        self.kx = M_PER_DEG_LAT * max(cos(radians(circle.lat)), 1e-6)
        dlat = circle.radius_m / M_PER_DEG_LAT
        dlon = circle.radius_m / self.kx
        # (min lon, min lat, max lon, max lat), the order of shapely's boxes
        self.bbox = (self.lon - dlon, self.lat - dlat, self.lon + dlon, self.lat + dlat)

    def signed_distance(self, lat: float, lon: float) -> float:
        return distance_m(lat, lon, self.lat, self.lon) - self.radius_m

    def classify(self, lat: float, lon: float, margin_m: float) -> Presence | None:
        """INSIDE / OUTSIDE when the point is at least margin_m clear of the edge."""
        dlon = lon - self.lon
        if dlon > 180.0 or dlon < -180.0:
            dlon = _wrap(dlon)
        dx = dlon * self.kx
        dy = (lat - self.lat) * M_PER_DEG_LAT
        d = sqrt(dx * dx + dy * dy)
        if d > _FLAT_LIMIT_M:
            d = distance_m(lat, lon, self.lat, self.lon)
        d -= self.radius_m
        if d <= -margin_m:
            return INSIDE
        return OUTSIDE if d >= margin_m else None


class PolygonGeometry:
    """A polygon projected to metres, with its edges ready for point tests."""

    __slots__ = ("lat0", "lon0", "kx", "edges", "xy_bounds", "bbox")

    def __init__(self, polygon: Polygon) -> None:
        lats = [p[0] for p in polygon.points]
        lons = [p[1] for p in polygon.points]
        self.lat0 = (min(lats) + max(lats)) / 2
        self.lon0 = (min(lons) + max(lons)) / 2
        self.kx = M_PER_DEG_LAT * max(cos(radians(self.lat0)), 1e-6)
        ring = [self._xy(lat, lon) for lat, lon in polygon.points]
        area = shapely.Polygon(ring)
        if not area.is_valid:  # drawn crossing itself: keep the areas it encloses
            area = shapely.make_valid(area)
        # A ring with no area (all points on a line) encloses nothing: its own
        # segments still give the distance, and nothing is ever inside it.
        self.edges = _edges(area) or _segments(ring + ring[:1])
        self.xy_bounds = tuple(area.bounds)
        self.bbox = (min(lons), min(lats), max(lons), max(lats))

    def _xy(self, lat: float, lon: float) -> tuple[float, float]:
        return _wrap(lon - self.lon0) * self.kx, (lat - self.lat0) * M_PER_DEG_LAT

    def signed_distance(self, lat: float, lon: float) -> float:
        x, y = self._xy(lat, lon)
        d2, inside = self._scan(x, y, -1.0)
        return -sqrt(d2) if inside else sqrt(d2)

    def classify(self, lat: float, lon: float, margin_m: float) -> Presence | None:
        """INSIDE / OUTSIDE when the point is at least margin_m clear of the edge."""
        dlon = lon - self.lon0
        if dlon > 180.0 or dlon < -180.0:
            dlon = _wrap(dlon)
        x = dlon * self.kx
        y = (lat - self.lat0) * M_PER_DEG_LAT
        minx, miny, maxx, maxy = self.xy_bounds
        if x < minx - margin_m or x > maxx + margin_m or y < miny - margin_m or y > maxy + margin_m:
            return OUTSIDE  # the bounding box alone shows it is clear of the place
        d2, inside = self._scan(x, y, margin_m * margin_m)
        if d2 < margin_m * margin_m:
            return None
        return INSIDE if inside else OUTSIDE

    def _scan(self, x: float, y: float, stop_d2: float) -> tuple[float, bool]:
        """Squared distance to the nearest edge and even-odd containment.

        Stops early, with containment unknown, once an edge is nearer than
        sqrt(stop_d2): the caller only needed to know that it is near.
        """
        best = inf
        inside = False
        for x1, y1, dx, dy, inv_len2 in self.edges:
            ax = x - x1
            ay = y - y1
            t = (ax * dx + ay * dy) * inv_len2
            if t < 0.0:
                t = 0.0
            elif t > 1.0:
                t = 1.0
            ex = ax - t * dx
            ey = ay - t * dy
            d2 = ex * ex + ey * ey
            if d2 < best:
                best = d2
                if d2 < stop_d2:
                    return d2, False
            if (y1 > y) != (y1 + dy > y) and (ax * dy < ay * dx) == (dy > 0.0):
                inside = not inside  # the ray to the east crosses this edge
        return best, inside


def _edges(area: shapely.Geometry) -> tuple[tuple[float, float, float, float, float], ...]:
    edges: list[tuple[float, float, float, float, float]] = []
    for part in getattr(area, "geoms", [area]):
        if not isinstance(part, shapely.Polygon) or part.is_empty:
            continue  # a repaired polygon may carry stray lines: they enclose nothing
        for ring in (part.exterior, *part.interiors):
            edges += _segments(list(ring.coords))
    return tuple(edges)


def _segments(
    coords: list[tuple[float, float]],
) -> tuple[tuple[float, float, float, float, float], ...]:
    segments = []
    for (x1, y1), (x2, y2) in zip(coords, coords[1:], strict=False):
        dx, dy = x2 - x1, y2 - y1
        len2 = dx * dx + dy * dy
        if len2 > 0.0:
            segments.append((x1, y1, dx, dy, 1.0 / len2))
    return tuple(segments)


PlaceGeometry = CircleGeometry | PolygonGeometry


@lru_cache(maxsize=100_000)
def geometry_of(shape: Shape) -> PlaceGeometry:
    """The prepared geometry of a shape, built once per distinct shape."""
    if isinstance(shape, Circle):
        return CircleGeometry(shape)
    return PolygonGeometry(shape)

"""Distances and signed distances checked against values worked out by hand."""

from __future__ import annotations

import random

import pytest
import shapely

from carewatch.kids.tracking import Circle, Polygon, distance_m, signed_distance_m
from carewatch.kids.tracking.geo import M_PER_DEG_LAT, geometry_of

from .helpers import offset, rectangle


def test_it_measures_one_degree_of_latitude_as_111_2_km() -> None:
    assert distance_m(0.0, 0.0, 1.0, 0.0) == pytest.approx(111_195, abs=1)
    assert distance_m(45.0, 7.0, 46.0, 7.0) == pytest.approx(111_195, abs=1)


def test_it_shrinks_a_degree_of_longitude_by_the_cosine_of_the_latitude() -> None:
    assert distance_m(60.0, 10.0, 60.0, 10.001) == pytest.approx(111.195 * 0.5, rel=1e-4)


def test_it_measures_across_the_antimeridian_the_short_way() -> None:
    assert distance_m(0.0, 179.9995, 0.0, -179.9995) == pytest.approx(111.2, abs=0.1)


def test_it_puts_a_point_100_m_north_of_a_50_m_circles_centre_50_m_outside() -> None:
    circle = Circle(52.52, 13.405, 50.0)
    north = offset(52.52, 13.405, 100.0, 0.0)
    assert signed_distance_m(circle, *north) == pytest.approx(50.0, abs=0.01)


def test_it_gives_negative_distances_inside_a_circle() -> None:
    circle = Circle(52.52, 13.405, 50.0)
    assert signed_distance_m(circle, 52.52, 13.405) == pytest.approx(-50.0, abs=0.01)
    east = offset(52.52, 13.405, 0.0, 30.0)
    assert signed_distance_m(circle, *east) == pytest.approx(-20.0, abs=0.01)


def test_it_measures_a_rectangle_from_its_nearest_edge() -> None:
    school = rectangle(48.0, 2.0, 200.0, 300.0)  # 200 m north-south, 300 m east-west
    assert signed_distance_m(school, *offset(48.0, 2.0, 100.0, 150.0)) == pytest.approx(
        -100.0, abs=0.2
    )
    assert signed_distance_m(school, *offset(48.0, 2.0, 100.0, 20.0)) == pytest.approx(
        -20.0, abs=0.2
    )
    assert signed_distance_m(school, *offset(48.0, 2.0, 100.0, -40.0)) == pytest.approx(
        40.0, abs=0.2
    )
    # beyond a corner the distance is to the corner: a 30-40-50 triangle
    assert signed_distance_m(school, *offset(48.0, 2.0, -30.0, -40.0)) == pytest.approx(
        50.0, abs=0.2
    )


def test_it_agrees_with_shapely_for_random_polygons_and_points() -> None:
    rng = random.Random(3)
    for _ in range(100):
        points = tuple(
            (52.5 + rng.uniform(-0.004, 0.004), 13.4 + rng.uniform(-0.006, 0.006))
            for _ in range(rng.randint(3, 10))
        )
        geometry = geometry_of(Polygon(points))
        x0, y0, kx = geometry.lon0, geometry.lat0, geometry.kx
        area = shapely.make_valid(
            shapely.Polygon([((lon - x0) * kx, (lat - y0) * M_PER_DEG_LAT) for lat, lon in points])
        )
        for _ in range(10):
            lat, lon = 52.5 + rng.uniform(-0.006, 0.006), 13.4 + rng.uniform(-0.009, 0.009)
            point = shapely.Point((lon - x0) * kx, (lat - y0) * M_PER_DEG_LAT)
            expected = area.boundary.distance(point) * (-1 if area.contains(point) else 1)
            assert geometry.signed_distance(lat, lon) == pytest.approx(expected, abs=1e-6)


def test_it_repairs_a_polygon_drawn_crossing_itself() -> None:
    a, b = (48.0, 2.0), offset(48.0, 2.0, 100.0, 100.0)
    c, d = offset(48.0, 2.0, 0.0, 100.0), offset(48.0, 2.0, 100.0, 0.0)
    bow_tie = Polygon((a, b, c, d))  # two triangles meeting in the middle
    assert signed_distance_m(bow_tie, *offset(48.0, 2.0, 50.0, 10.0)) < 0
    assert signed_distance_m(bow_tie, *offset(48.0, 2.0, 90.0, 50.0)) > 0


def test_it_refuses_a_polygon_of_two_points() -> None:
    with pytest.raises(ValueError, match="three points"):
        Polygon(((48.0, 2.0), (48.1, 2.0)))


def test_it_takes_polygon_points_as_lists_and_compares_them_as_tuples() -> None:
    as_lists = Polygon([[48.0, 2.0], [48.001, 2.0], [48.001, 2.001]])
    as_tuples = Polygon(((48.0, 2.0), (48.001, 2.0), (48.001, 2.001)))
    assert as_lists == as_tuples and hash(as_lists) == hash(as_tuples)


def test_it_keeps_a_polygon_without_area_harmless() -> None:
    line = Polygon(((48.0, 2.0), (48.001, 2.0), (48.002, 2.0)))  # three points on a meridian
    assert signed_distance_m(line, *offset(48.001, 2.0, 0.0, 30.0)) == pytest.approx(30.0, abs=0.1)
    assert signed_distance_m(line, 48.001, 2.0) >= 0.0

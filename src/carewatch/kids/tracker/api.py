"""Tracker endpoints for apps. Every query starts from the caller's own families."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import field_validator

from carewatch.kids.tracker.models import Child, Device, Event, Place, PlaceKind, Position
from carewatch.platform.accounts.models import Family
from carewatch.platform.accounts.permissions import families_of
from carewatch.platform.lib.api_types import LocalTime, Moment, Text, answers

router = Router(tags=["kids"])
MAX_PAGE = 1000


class ChildOut(Schema):
    id: int
    family_id: int
    name: str
    birth_year: int | None


class DeviceOut(Schema):
    id: int
    identifier: str
    name: str
    child_id: int | None
    status: str
    battery: int | None
    last_seen: datetime | None
    last_fix_time: datetime | None
    lat: float | None
    lon: float | None
    accuracy: float | None


class PositionOut(Schema):
    fix_time: datetime
    lat: float
    lon: float
    accuracy: float | None
    speed: float | None
    battery: int | None
    late: bool


Weekday = Annotated[int, Field(ge=0, le=6, description="0 is Monday, 6 is Sunday")]


class PlaceIn(Schema):
    family_id: int
    name: Text = Field(..., min_length=1, max_length=60)
    kind: PlaceKind = PlaceKind.OTHER
    lat: float = Field(..., ge=-90, le=90)
    lon: float = Field(..., ge=-180, le=180)
    radius_m: float = Field(..., ge=30, le=5000)
    active_days: list[Weekday] = Field(default_factory=list, max_length=7)
    active_from: LocalTime | None = None
    active_until: LocalTime | None = None

    @field_validator("active_days")
    @classmethod
    def each_day_once(cls, days: list[int]) -> list[int]:
        if len(set(days)) != len(days):
            raise ValueError("name each weekday once")
        return days


class PlaceOut(Schema):
    id: int
    family_id: int
    name: str
    kind: str
    lat: float | None
    lon: float | None
    radius_m: float | None
    polygon: list[Any]
    active_days: list[int]
    active_from: time | None
    active_until: time | None


class EventOut(Schema):
    id: int
    kind: str
    time: datetime
    device_id: int
    child_id: int | None
    place_id: int | None
    lat: float | None
    lon: float | None
    delayed: bool


def _families(request: HttpRequest) -> QuerySet[Family]:
    return families_of(request.user)


def _devices(request: HttpRequest) -> QuerySet[Device]:
    return Device.objects.filter(family__in=_families(request))


@router.get("/children", response=answers(200, list[ChildOut]))
def list_children(request: HttpRequest) -> Any:
    return Child.objects.filter(family__in=_families(request))


@router.get(
    "/devices",
    response=answers(200, list[DeviceOut]),
    summary="Devices with their latest position",
)
def list_devices(request: HttpRequest) -> Any:
    return _devices(request)


@router.get("/devices/{device_id}/positions", response=answers(200, list[PositionOut]))
def history(
    request: HttpRequest,
    device_id: int,
    start: Moment,
    end: Moment,
    limit: int = 500,
    offset: int = 0,
) -> Any:
    """Positions between `start` and `end` in fix-time order, `limit` at a time (at most 1000)."""
    device = get_object_or_404(_devices(request), pk=device_id)
    if end <= start:
        raise HttpError(400, "end must be after start.")
    if not 1 <= limit <= MAX_PAGE or offset < 0:
        raise HttpError(400, f"limit must be 1 to {MAX_PAGE} and offset 0 or more.")
    positions = Position.objects.filter(device=device, fix_time__gte=start, fix_time__lt=end)
    return positions.order_by("fix_time")[offset : offset + limit]


@router.get("/places", response=answers(200, list[PlaceOut]))
def list_places(request: HttpRequest) -> Any:
    return Place.objects.filter(family__in=_families(request))


@router.post("/places", response=answers(201, PlaceOut, changes=True))
def create_place(request: HttpRequest, data: PlaceIn) -> Any:
    family = get_object_or_404(_families(request), pk=data.family_id)
    return Status(201, Place.objects.create(**(data.dict() | {"family_id": family.pk})))


@router.get("/places/{place_id}", response=answers(200, PlaceOut))
def get_place(request: HttpRequest, place_id: int) -> Any:
    return get_object_or_404(Place, pk=place_id, family__in=_families(request))


@router.put("/places/{place_id}", response=answers(200, PlaceOut, changes=True))
def update_place(request: HttpRequest, place_id: int, data: PlaceIn) -> Any:
    place = get_object_or_404(Place, pk=place_id, family__in=_families(request))
    get_object_or_404(_families(request), pk=data.family_id)
    for field, value in data.dict().items():
        setattr(place, field, value)
    place.save()
    return place


@router.delete("/places/{place_id}", response=answers(204, None, changes=True))
def delete_place(request: HttpRequest, place_id: int) -> Any:
    get_object_or_404(Place, pk=place_id, family__in=_families(request)).delete()
    return Status(204, None)


@router.get("/events", response=answers(200, list[EventOut]))
def list_events(request: HttpRequest, since: Moment | None = None, limit: int = 100) -> Any:
    events = Event.objects.filter(family__in=_families(request))
    if since is not None:
        events = events.filter(time__gt=since)
    return events.order_by("-time")[: max(1, min(limit, MAX_PAGE))]

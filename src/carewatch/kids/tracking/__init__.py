"""The Kids tracking core: fixes in; positions, device state and events out.

`tracking` is the rules (this package, no Django); `tracker` is the Django app that
stores and shows what they decide (carewatch.kids.tracker).

Plain Python with no Django (a test checks it): the Django app is a thin shell
that implements `Store` over the ORM and sends the events it gets back. Every
time given to it or taken from it is an aware UTC datetime.

Flow, for each batch a gateway flushes::

    result = ingest(fixes, store, now=timezone.now())   # one load, one save
    for event in result.events:                         # after the save committed
        notify(event)
    # result.unknown_devices: {device id: fixes ignored}, for the gateway's 4xx

and every minute, for devices online but silent (`last_seen` older than
`RuleConfig.offline_after_s`)::

    state, events = check_offline(device_id, state, now)   # events == []: unchanged

One device by hand (a shell, a test)::

    home = PlaceDef(1, "Home", PlaceKind.HOME, Circle(52.52, 13.405, 150.0))
    fix = Fix("860000000000001", fix_time, 52.52, 13.405, accuracy_m=12, battery=80)
    update = process_device("860000000000001", DeviceState(), [fix], [home], now)
    update.state.to_json(), update.positions, update.events

The interface
-------------
model
    `Fix` (one report; `located` is False for invalid and 0,0 fixes),
    `PlaceDef` with a `Circle` or `Polygon` shape (points are (lat, lon)) and
    optional `ActiveHours`, `Event` with an `EventKind`, `StoredFix` (a fix to
    write to history, with `late` and `located`), `DeviceState` (mutable; one
    JSON column: `to_json()` / `DeviceState.from_json(data)`).
rules
    `process_device(device_id, state, fixes, places, now, config) -> DeviceUpdate`
    (`state`, `positions` in fix-time order, `events`, counts `late`,
    `duplicates`, `rejected`); it never changes its arguments;
    `check_offline(device_id, state, now, config) -> (state, events)`;
    `RuleConfig`, whose defaults are the issue's (see its comments).
ingest
    `ingest(batch, store, now, config) -> IngestResult`; the `Store` protocol
    (`load(device_ids) -> {id: DeviceContext(state, places)}`,
    `save(updates, now)`), and `MemoryStore`.
places
    `PlaceSet.of(place_defs)`: compiled places, cached while the same places
    come back; an STRtree once a family has many places.
geo
    `distance_m`, `signed_distance_m(shape, lat, lon)` (negative inside).

What the store must do
----------------------
- `load`: one query for the states and the places of all the ids; leave
  unknown ids out. Place lists may be new `PlaceDef` tuples every time: equal
  places are compiled once (keeping a PlaceSet per family saves hashing them).
- `save`: in one transaction, insert `update.positions` (Position.valid =
  `located`, server time = `now`; ignore a conflict on (device, fix time):
  a resent old fix is not caught by the rules), write `update.state.to_json()`
  and the device's denormalised fields (status, last position, battery), and
  insert the events. Notify only after the commit.

Rules in short (details in rules.py): a place changes state only when a fix is
clear of its edge by max(accuracy, 25 m) (50 m when the device gives no
accuracy) and confirmed by 2 consecutive clear fixes spanning 2 minutes, so
places smaller than about 100 m across are rarely "clearly inside": the
editor should ask for more; a place or device without history learns its
state silently, and so does an edited place; late (out-of-order) fixes go to
history only; fixes buffered for more than 5 minutes update the state
silently, and only an SOS or fall in them is told, marked delayed (up to an
hour old); SOS and fall once a minute; removed from the wrist once while it
lasts; battery low/critical once per discharge (new discharge above 30 %).
"""

from .geo import distance_m, signed_distance_m
from .ingest import DeviceContext, IngestResult, MemoryStore, Store, ingest
from .model import (
    ALARM_FALL,
    ALARM_LOW_BATTERY,
    ALARM_REMOVED,
    ALARM_SOS,
    ActiveHours,
    Circle,
    DeviceState,
    DeviceStatus,
    Event,
    EventKind,
    Fix,
    PlaceDef,
    PlaceKind,
    PlaceTrack,
    Polygon,
    Presence,
    Shape,
    StoredFix,
)
from .places import PlaceSet
from .rules import DEFAULT_CONFIG, DeviceUpdate, RuleConfig, check_offline, process_device

__all__ = [
    "ALARM_FALL",
    "ALARM_LOW_BATTERY",
    "ALARM_REMOVED",
    "ALARM_SOS",
    "DEFAULT_CONFIG",
    "ActiveHours",
    "Circle",
    "DeviceContext",
    "DeviceState",
    "DeviceStatus",
    "DeviceUpdate",
    "Event",
    "EventKind",
    "Fix",
    "IngestResult",
    "MemoryStore",
    "PlaceDef",
    "PlaceKind",
    "PlaceSet",
    "PlaceTrack",
    "Polygon",
    "Presence",
    "RuleConfig",
    "Shape",
    "Store",
    "StoredFix",
    "check_offline",
    "distance_m",
    "ingest",
    "process_device",
    "signed_distance_m",
]

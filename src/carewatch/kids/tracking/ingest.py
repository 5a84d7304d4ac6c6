"""`ingest(batch, store, now)`: a batch of fixes from any devices, through the rules, saved at once.

The store is whatever keeps devices, places and history: the Django app's
implementation over the ORM, or `MemoryStore` here for tests and benchmarks.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple, Protocol

from .model import DeviceState, Event, Fix, PlaceDef
from .places import PlaceSet
from .rules import DEFAULT_CONFIG, DeviceUpdate, RuleConfig, RuleRun


class DeviceContext(NamedTuple):
    """What the rules need about one device: its state and its family's places."""

    state: DeviceState
    places: PlaceSet | Sequence[PlaceDef]


class Store(Protocol):
    def load(self, device_ids: Collection[str]) -> Mapping[str, DeviceContext]:
        """The contexts of these devices, in one round trip; unknown ids are left out."""
        ...

    def save(self, updates: Sequence[DeviceUpdate], now: datetime) -> None:
        """Write positions, new states and events of every update atomically."""
        ...


@dataclass(slots=True)
class IngestResult:
    accepted: int = 0  # positions stored, late ones included
    late: int = 0  # of those, older than a fix already processed
    duplicates: int = 0
    rejected: int = 0  # fix time too far in the future
    unknown_devices: dict[str, int] = field(default_factory=dict)  # id -> fixes ignored
    events: list[Event] = field(default_factory=list)
    updates: list[DeviceUpdate] = field(default_factory=list)


def ingest(
    batch: Iterable[Fix], store: Store, now: datetime, config: RuleConfig = DEFAULT_CONFIG
) -> IngestResult:
    """Process a batch received at `now` (aware UTC) and save it in one call."""
    by_device: dict[str, list[Fix]] = {}
    for fix in batch:
        fixes = by_device.get(fix.device_id)
        if fixes is None:
            by_device[fix.device_id] = [fix]
        else:
            fixes.append(fix)
    result = IngestResult()
    if not by_device:
        return result
    contexts = store.load(by_device.keys())
    rules = RuleRun(now, config)
    for device_id, fixes in by_device.items():
        context = contexts.get(device_id)
        if context is None:
            result.unknown_devices[device_id] = len(fixes)
            continue
        update = rules.process(device_id, context.state, fixes, context.places)
        result.updates.append(update)
        result.accepted += len(update.positions)
        result.late += update.late
        result.duplicates += update.duplicates
        result.rejected += update.rejected
        result.events.extend(update.events)
    if result.updates:
        store.save(result.updates, now)
    return result


class MemoryStore:
    """A Store in dicts, for tests and benchmarks.

    `json_states=True` keeps each state as JSON text, as a database column
    would. `keep_history=False` only counts positions and events, as a
    pipeline whose history leaves the process for a database.
    """

    def __init__(self, json_states: bool = False, keep_history: bool = True) -> None:
        self.json_states = json_states
        self.keep_history = keep_history
        self.states: dict[str, DeviceState | str] = {}
        self.device_places: dict[str, PlaceSet] = {}
        self.positions: dict[str, list[tuple[datetime, Fix, bool]]] = {}
        self.events: list[Event] = []
        self.saves = 0
        self.saved_positions = 0
        self.saved_events = 0

    def add_device(
        self,
        device_id: str,
        places: PlaceSet | Sequence[PlaceDef] = (),
        state: DeviceState | None = None,
    ) -> None:
        self.device_places[device_id] = PlaceSet.of(places)
        self.set_state(device_id, state or DeviceState())
        self.positions[device_id] = []

    def set_places(self, device_id: str, places: PlaceSet | Sequence[PlaceDef]) -> None:
        self.device_places[device_id] = PlaceSet.of(places)

    def set_state(self, device_id: str, state: DeviceState) -> None:
        self.states[device_id] = json.dumps(state.to_json()) if self.json_states else state

    def state(self, device_id: str) -> DeviceState:
        saved = self.states[device_id]
        if isinstance(saved, DeviceState):
            return saved
        return DeviceState.from_json(json.loads(saved))

    def load(self, device_ids: Collection[str]) -> dict[str, DeviceContext]:
        places = self.device_places
        return {
            device_id: DeviceContext(self.state(device_id), places[device_id])
            for device_id in device_ids
            if device_id in places
        }

    def save(self, updates: Sequence[DeviceUpdate], now: datetime) -> None:
        self.saves += 1
        for update in updates:
            self.set_state(update.device_id, update.state)
            self.saved_positions += len(update.positions)
            self.saved_events += len(update.events)
            if self.keep_history:
                history = self.positions[update.device_id]
                history += [(now, p.fix, p.located) for p in update.positions]
                self.events += update.events

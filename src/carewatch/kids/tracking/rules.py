"""The rules: from one device's fixes to its new state, its history and its events.

`process_device` never changes its arguments and never reads a clock: the same
input gives the same output, which is what makes the rules testable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from operator import attrgetter

from .model import (
    ALARM_FALL,
    ALARM_REMOVED,
    ALARM_SOS,
    DeviceState,
    DeviceStatus,
    Event,
    EventKind,
    Fix,
    PlaceDef,
    PlaceTrack,
    Presence,
    StoredFix,
)
from .places import CompiledPlace, PlaceSet


@dataclass(frozen=True, slots=True)
class RuleConfig:
    """Thresholds of the rules. Times are in seconds."""

    # Places: a fix counts only when it is this far clear of the edge:
    # max(its accuracy, min_margin_m); a fix without accuracy is taken as unknown_accuracy_m.
    min_margin_m: float = 25.0
    unknown_accuracy_m: float = 50.0
    # A change of place is confirmed by confirm_fixes consecutive clear fixes
    # spanning at least confirm_s; any fix that is not clear starts again. GPS
    # error drifts slowly (it stays on one side for a minute or more), so a
    # short dwell lets a child standing on the edge flap: in simulation (accuracy
    # 20-50 m as a 68 % radius, error correlated 0.9 between fixes 10 s apart)
    # 30 s gave 2-13 changes in 5.5 hours, 120 s gave 0-1. A watch reporting
    # every 5 minutes is confirmed by its second fix.
    confirm_fixes: int = 2
    confirm_s: float = 120.0
    # Battery, from the level the device reports: once per discharge, and a new
    # discharge starts only once the level went above recharge_above.
    low_battery: int = 20
    critical_battery: int = 10
    recharge_above: int = 30
    # Alarms: a repeat within the window is the same alarm.
    sos_dedup_s: float = 60.0
    fall_dedup_s: float = 60.0
    removed_dedup_s: float = 300.0
    # Silence after which the periodic task marks a device offline.
    offline_after_s: float = 900.0
    # A fix this much older than its arrival was buffered: it updates the state
    # quietly; only an SOS or fall in it is told (marked delayed), if not older
    # than late_alarm_max_age_s.
    stale_after_s: float = 300.0
    late_alarm_max_age_s: float = 3600.0
    # A fix time this far ahead of the server clock is a broken clock: not stored.
    max_future_s: float = 300.0
    # Optional: above this speed (km/h) an overspeed event; again only after
    # dropping overspeed_reset_kmh below it.
    overspeed_kmh: float | None = None
    overspeed_reset_kmh: float = 10.0

    def __post_init__(self) -> None:
        if not self.critical_battery <= self.low_battery < self.recharge_above:
            raise ValueError(
                "Battery thresholds must satisfy critical <= low < recharge_above; "
                "otherwise a low battery is never told."
            )
        if self.confirm_fixes < 1:
            raise ValueError("confirm_fixes must be at least 1.")


DEFAULT_CONFIG = RuleConfig()
MAX_RECENT_ALARMS = 16  # of each kind, kept in the state to recognise repeats


@dataclass(slots=True)
class DeviceUpdate:
    """What processing one device's fixes produced, for the store to save."""

    device_id: str
    state: DeviceState
    positions: list[StoredFix] = field(default_factory=list)  # fix-time order
    events: list[Event] = field(default_factory=list)
    late: int = 0  # positions older than a fix already processed: history only
    duplicates: int = 0  # same fix time as one already processed: not stored
    rejected: int = 0  # fix time in the future: not stored (its alarms still count)


_by_time = attrgetter("fix_time")


def process_device(
    device_id: str,
    state: DeviceState,
    fixes: Sequence[Fix],
    places: PlaceSet | Sequence[PlaceDef],
    now: datetime,
    config: RuleConfig = DEFAULT_CONFIG,
) -> DeviceUpdate:
    """Run the rules over one device's new fixes (in any order) received at `now`."""
    return RuleRun(now, config).process(device_id, state, fixes, places)


def check_offline(
    device_id: str, state: DeviceState, now: datetime, config: RuleConfig = DEFAULT_CONFIG
) -> tuple[DeviceState, list[Event]]:
    """For the periodic task: mark a silent device offline.

    Returns the same state object and no events when nothing changed.
    """
    if state.status is not DeviceStatus.ONLINE or state.last_seen is None:
        return state, []
    if now - state.last_seen < timedelta(seconds=config.offline_after_s):
        return state, []
    new = state.copy()
    new.status = DeviceStatus.OFFLINE
    new.offline_since = now
    details = {"last_seen": state.last_seen.isoformat()}
    event = Event(device_id, EventKind.OFFLINE, now, None, new.lat, new.lon, details)
    return new, [event]


class RuleRun:
    """The rules for one batch received at `now`; `process` one device after another.

    The times derived from the config are worked out once per batch; the
    per-device attributes are replaced by each `process` call.
    """

    def __init__(self, now: datetime, cfg: RuleConfig = DEFAULT_CONFIG) -> None:
        self.now = now
        self.cfg = cfg
        self.future_limit = now + timedelta(seconds=cfg.max_future_s)
        self.stale_before = now - timedelta(seconds=cfg.stale_after_s)
        self.alarm_floor = now - timedelta(seconds=cfg.late_alarm_max_age_s)
        self.confirm_span = timedelta(seconds=cfg.confirm_s)
        self.unsettled: set[int] = set()  # with many places: those not settled outside

    def process(
        self,
        device_id: str,
        state: DeviceState,
        fixes: Sequence[Fix],
        places: PlaceSet | Sequence[PlaceDef],
    ) -> DeviceUpdate:
        self.device_id = device_id
        st = self.state = state.copy()
        self.places = PlaceSet.of(places)
        self.update = DeviceUpdate(device_id, st)
        self.events = self.update.events
        if fixes:
            if st.status is DeviceStatus.ONLINE:
                st.last_seen = self.now
            else:
                self.seen()
            self.fixes(sorted(fixes, key=_by_time) if len(fixes) > 1 else fixes)
        if st.places and not st.places.keys() <= self.places.ids:
            self.forget_deleted_places()
        return self.update

    def emit(
        self,
        kind: EventKind,
        when: datetime,
        fix: Fix | None,
        place_id: int | None = None,
        details: Mapping[str, object] | None = None,
        delayed: bool = False,
    ) -> None:
        lat = fix.lat if fix is not None and fix.located else self.state.lat
        lon = fix.lon if fix is not None and fix.located else self.state.lon
        event = Event(self.device_id, kind, when, place_id, lat, lon, details or {}, delayed)
        self.events.append(event)

    def seen(self) -> None:
        """Any report, even a duplicate, shows the device is alive."""
        st = self.state
        if st.status is DeviceStatus.OFFLINE:
            since = st.offline_since.isoformat() if st.offline_since else None
            self.emit(EventKind.BACK_ONLINE, self.now, None, details={"offline_since": since})
        st.status = DeviceStatus.ONLINE
        st.offline_since = None
        st.last_seen = self.now

    def fixes(self, ordered: Sequence[Fix]) -> None:
        st = self.state
        cfg = self.cfg
        update = self.update
        positions = update.positions
        scan = () if self.places.indexed else self.places.places
        near = self.near_places(ordered) if self.places.indexed else {}
        previous = None
        for fix in ordered:
            t = fix.fix_time
            if t > self.future_limit:
                update.rejected += 1
                self.alarms(fix, self.now, delayed=False, current=False)
                continue
            if t == previous or t == st.last_fix_time:
                update.duplicates += 1
                self.alarms(fix, t, delayed=t < self.stale_before, current=False)
                continue
            previous = t
            located = fix.located
            # A position is late only behind the last position: a heartbeat stamped with
            # the server's clock must not make the watch's next fix (its own, slower
            # clock) late and so skip the place rules.
            newest = st.position_time if located else st.last_fix_time
            if newest is not None and t < newest:
                update.late += 1
                positions.append(StoredFix(fix, True, located))
                self.alarms(fix, t, delayed=True, current=False)
                continue
            positions.append(StoredFix(fix, False, located))
            stale = t < self.stale_before
            if st.last_fix_time is None or t > st.last_fix_time:
                st.last_fix_time = t
            level = fix.battery
            if level is not None:
                if level > cfg.recharge_above and st.battery_alert is None:
                    st.battery = level  # the common case: nothing to decide
                else:
                    self.battery(fix, level, stale)
            if located:
                st.position_time = t
                st.lat = fix.lat
                st.lon = fix.lon
                st.accuracy_m = fix.accuracy_m
                if scan:
                    self.scan_places(fix, stale, scan)
                elif near:
                    self.indexed_places(fix, stale, near[id(fix)])
                if cfg.overspeed_kmh is not None and fix.speed_kmh is not None:
                    self.overspeed(fix, stale)
            if fix.alarms or st.removed:
                # a buffered fix tells only of SOS and fall; it leaves "removed" to the
                # next current report, which may say the watch is still off the wrist
                self.alarms(fix, t, delayed=stale, current=not stale)

    def battery(self, fix: Fix, level: int, stale: bool) -> None:
        st = self.state
        cfg = self.cfg
        st.battery = level
        if level > cfg.recharge_above:
            st.battery_alert = None
        elif stale:
            return  # an old level: the next current report decides
        elif level <= cfg.critical_battery:
            if st.battery_alert is not EventKind.CRITICAL_BATTERY:
                st.battery_alert = EventKind.CRITICAL_BATTERY
                self.emit(EventKind.CRITICAL_BATTERY, fix.fix_time, fix, details={"battery": level})
        elif level <= cfg.low_battery and st.battery_alert is None:
            st.battery_alert = EventKind.LOW_BATTERY
            self.emit(EventKind.LOW_BATTERY, fix.fix_time, fix, details={"battery": level})

    def overspeed(self, fix: Fix, stale: bool) -> None:
        st = self.state
        limit = self.cfg.overspeed_kmh
        speed = fix.speed_kmh
        assert limit is not None and speed is not None
        if speed > limit and not st.overspeeding:
            st.overspeeding = True
            if not stale:
                details = {"speed_kmh": speed, "limit_kmh": limit}
                self.emit(EventKind.OVERSPEED, fix.fix_time, fix, details=details)
        elif speed < limit - self.cfg.overspeed_reset_kmh:
            st.overspeeding = False

    def alarms(self, fix: Fix, when: datetime, delayed: bool, current: bool) -> None:
        """SOS and fall are told even when delayed; removed only when current."""
        alarms = fix.alarms
        st = self.state
        if not alarms:
            if current:
                st.removed = False
            return
        if ALARM_SOS in alarms:
            self.alarm(fix, when, ALARM_SOS, EventKind.SOS, self.cfg.sos_dedup_s, delayed)
        if ALARM_FALL in alarms:
            self.alarm(fix, when, ALARM_FALL, EventKind.FALL, self.cfg.fall_dedup_s, delayed)
        removed = ALARM_REMOVED in alarms
        if current:
            was_removed = st.removed
            st.removed = removed
            if removed and not was_removed and not delayed:
                window = self.cfg.removed_dedup_s
                self.alarm(fix, when, ALARM_REMOVED, EventKind.REMOVED, window, False)

    def alarm(
        self, fix: Fix, when: datetime, name: str, kind: EventKind, window: float, delayed: bool
    ) -> None:
        recent = self.state.recent_alarms.get(name, ())
        for told in recent:
            if abs((when - told).total_seconds()) < window:
                return  # the same alarm again: nothing changes
        if delayed and when < self.alarm_floor:
            return  # too old to act on; it is in the history
        # what is older than the floor by a window can no longer match anything told
        keep_after = self.alarm_floor - timedelta(seconds=window)
        kept = [told for told in recent if told > keep_after]
        kept.append(when)
        kept.sort()
        self.state.recent_alarms[name] = tuple(kept[-MAX_RECENT_ALARMS:])
        details = None
        if not fix.located:
            # No GPS with the alarm (a `V` fix, 0,0): the event carries the last known
            # position, and says how old it is, so the parent knows what the map shows.
            known = self.state.position_time
            details = {"no_fix": True, "position_time": known.isoformat() if known else None}
        self.emit(kind, when, fix, details=details, delayed=delayed)

    def margin(self, fix: Fix) -> float:
        accuracy = self.cfg.unknown_accuracy_m if fix.accuracy_m is None else fix.accuracy_m
        return max(accuracy, self.cfg.min_margin_m)

    def scan_places(self, fix: Fix, stale: bool, places: Sequence[CompiledPlace]) -> None:
        cfg = self.cfg
        margin = cfg.unknown_accuracy_m if fix.accuracy_m is None else fix.accuracy_m
        if margin < cfg.min_margin_m:
            margin = cfg.min_margin_m
        lat = fix.lat
        lon = fix.lon
        tracks = self.state.places
        told = len(self.events)
        for place in places:
            seen = place.geometry.classify(lat, lon, margin)
            track = tracks.get(place.id)
            if (
                track is not None
                and track.candidate is None
                and (seen is None or seen is track.presence)
                and track.shape_hash == place.shape_hash
            ):
                continue  # the common case: nothing to learn
            self.observe(place, fix, seen, stale)
        if len(self.events) > told + 1:
            self.exits_first(told)

    def exits_first(self, start: int) -> None:
        """One fix that leaves a place and enters another: tell the leaving first."""
        self.events[start:] = sorted(
            self.events[start:], key=lambda e: e.kind is not EventKind.PLACE_EXIT
        )

    def near_places(self, ordered: Sequence[Fix]) -> dict[int, set[int]]:
        """For each located fix (by id), the indexes of the places it may be near,
        found with one query of the places' tree."""
        located = [fix for fix in ordered if fix.located]
        if not located:
            return {}
        margins = [self.margin(fix) for fix in located]
        near = self.places.near([f.lat for f in located], [f.lon for f in located], margins)
        assert near is not None
        get = self.state.places.get
        outside = Presence.OUTSIDE
        self.unsettled = {
            i
            for i, place in enumerate(self.places.places)
            if (track := get(place.id)) is None
            or track.presence is not outside
            or track.candidate is not None
            or track.shape_hash != place.shape_hash
        }
        return {id(fix): found for fix, found in zip(located, near, strict=True)}

    def indexed_places(self, fix: Fix, stale: bool, near: set[int]) -> None:
        """Many places: a place out of reach of a fix is clearly outside it, so
        only the places near it, and those not yet settled outside, hear of it."""
        places = self.places.places
        tracks = self.state.places
        unsettled = self.unsettled
        margin = self.margin(fix)
        told = len(self.events)
        for index in sorted(near | unsettled):
            place = places[index]
            if index in near:
                seen = place.geometry.classify(fix.lat, fix.lon, margin)
            else:
                seen = Presence.OUTSIDE
            self.observe(place, fix, seen, stale)
            if _settled_outside(tracks.get(place.id), place):
                unsettled.discard(index)
            else:
                unsettled.add(index)
        if len(self.events) > told + 1:
            self.exits_first(told)

    def observe(self, place: CompiledPlace, fix: Fix, seen: Presence | None, stale: bool) -> None:
        tracks = self.state.places
        track = tracks.get(place.id)
        if track is None or track.shape_hash != place.shape_hash:
            track = PlaceTrack(shape_hash=place.shape_hash)
            tracks[place.id] = track
        if seen is None or seen is track.presence:
            if track.candidate is not None:  # not clear, or back: confirmation starts again
                tracks[place.id] = PlaceTrack(track.presence, shape_hash=place.shape_hash)
            return
        t = fix.fix_time
        if seen is track.candidate and track.since is not None:
            count, since = track.clear_count + 1, track.since
        else:
            count, since = 1, t
        if count < self.cfg.confirm_fixes or t - since < self.confirm_span:
            tracks[place.id] = PlaceTrack(track.presence, seen, since, count, place.shape_hash)
            return
        tracks[place.id] = PlaceTrack(seen, shape_hash=place.shape_hash)
        if track.presence is None or stale or not place.active(t):
            return  # learnt silently: a new place or device, an old fix, or off hours
        kind = EventKind.PLACE_ENTER if seen is Presence.INSIDE else EventKind.PLACE_EXIT
        details = place.event_details()
        details["since"] = since.isoformat()
        self.emit(kind, t, fix, place.id, details)

    def forget_deleted_places(self) -> None:
        tracks = self.state.places
        for place_id in [p for p in tracks if p not in self.places.ids]:
            del tracks[place_id]


def _settled_outside(track: PlaceTrack | None, place: CompiledPlace) -> bool:
    return (
        track is not None
        and track.presence is Presence.OUTSIDE
        and track.candidate is None
        and track.shape_hash == place.shape_hash
    )

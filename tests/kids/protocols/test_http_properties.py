"""Property tests: the OsmAnd and OwnTracks decoders and the decode tool survive anything."""

from __future__ import annotations

import contextlib
import json
from typing import Any
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carewatch.kids.protocols import osmand, owntracks
from carewatch.kids.protocols.decode_tool import decode_line
from carewatch.kids.protocols.messages import ProtocolError

from .invariants import check
from .samples import RECEIVED

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
numberish = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers().map(str),
    st.sampled_from(["", "nan", "-1", "0", "1e400", "2016-01-27T18:55:47Z", "99999999999999"]),
    st.text(max_size=12),
)
# the keys the decoder reads, plus one it keeps as an attribute and one it has never seen
osmand_keys = st.sampled_from(sorted(osmand.KNOWN_KEYS | {"hdop", "other"}))


@SETTINGS
@given(
    st.text(max_size=10),
    st.text(max_size=200),
    st.binary(max_size=300),
    st.none() | st.text(max_size=40),
)
def test_osmand_gives_a_message_or_protocol_error_for_anything(
    method: str, uri: str, body: bytes, content_type: str | None
) -> None:
    with contextlib.suppress(ProtocolError):
        check(osmand.decode(method, uri, body, content_type, RECEIVED))


@SETTINGS
@given(st.dictionaries(osmand_keys, numberish, max_size=12), st.sampled_from(["GET", "POST"]))
def test_osmand_fields_of_any_value_never_break_a_request_with_an_id(
    params: dict[str, str], method: str
) -> None:
    params["id"] = "device-1"
    query = urlencode(params)
    if method == "GET":
        decoded = osmand.decode("GET", "/?" + query, b"", None, RECEIVED)
    else:
        decoded = osmand.decode(
            "POST", "/", query.encode(), "application/x-www-form-urlencoded", RECEIVED
        )
    check(decoded)
    (fix,) = decoded.fixes
    assert ("sos" in fix.alarms) == (params.get("alarm", "").strip().lower() == "sos")


@SETTINGS
@given(json_values, json_values, json_values)
def test_osmand_json_of_any_shape_gives_a_message_or_protocol_error(
    location: Any, coords: Any, battery: Any
) -> None:
    shapes = [location, {"coords": coords, "battery": battery, "timestamp": location}]
    for shape in shapes:
        body = json.dumps({"device_id": "d", "location": shape}).encode()
        with contextlib.suppress(ProtocolError):
            check(osmand.decode("POST", "/", body, "application/json", RECEIVED))


@SETTINGS
@given(st.binary(max_size=300), st.text(max_size=70))
def test_owntracks_gives_a_message_or_protocol_error_for_any_bytes(
    body: bytes, device_id: str
) -> None:
    with contextlib.suppress(ProtocolError):
        check(owntracks.decode(body, device_id, RECEIVED))


@SETTINGS
@given(
    st.sampled_from(["location", "transition", "lwt", "waypoint"]),
    st.dictionaries(
        st.sampled_from(
            [
                "lat",
                "lon",
                "tst",
                "acc",
                "batt",
                "vel",
                "cog",
                "alt",
                "event",
                "desc",
                "tid",
                "inregions",
                "wtst",
            ]
        ),
        json_values,
        max_size=10,
    ),
)
def test_owntracks_fields_of_any_value_never_break_a_typed_message(
    kind: str, data: dict[str, Any]
) -> None:
    data["_type"] = kind
    decoded = owntracks.decode(json.dumps(data).encode(), "alice", RECEIVED)
    check(decoded)
    assert decoded.kind == kind
    assert all(fix.alarms == frozenset() for fix in decoded.fixes)


@SETTINGS
@given(
    st.one_of(
        st.text(max_size=200),
        st.dictionaries(
            st.sampled_from(
                [
                    "protocol",
                    "input",
                    "input_hex",
                    "method",
                    "uri",
                    "content_type",
                    "device_id",
                    "received",
                ]
            ),
            json_values | st.sampled_from(["watch", "osmand", "owntracks"]),
            max_size=8,
        ).map(json.dumps),
    )
)
def test_the_decode_tool_answers_every_line_with_json(line: str) -> None:
    result = decode_line(line, RECEIVED)
    assert list(result) == ["messages", "reply", "error"]
    assert (result["error"] is None) or (result["messages"] == [] and result["reply"] is None)
    json.dumps(result)

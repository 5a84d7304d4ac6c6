"""OsmAnd on its own port (any path, as the Traccar Client's server URL can be bare):
stored then 200; unknown devices 403; malformed 400; too large 413; other methods 405.
(test_gateway_runner.py runs it on a real socket with the real device directory.)"""

from __future__ import annotations

import asyncio

import httpx

from carewatch.kids.gateways.osmand_server import OsmandApp
from tests.kids.gateways.helpers import FakeDevices, MemoryLog

QUERY = "id=123456&timestamp=1377177267&lat=60.0&lon=30.0&speed=0.0&batt=87"


def responses(*requests: tuple[str, str, bytes]) -> tuple[list[int], MemoryLog]:
    log = MemoryLog()
    app = OsmandApp(log, FakeDevices(**{"123456": "osmand", "4700186508": "watch"}))

    async def scenario() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
            return [
                (await client.request(method, url, content=body)).status_code
                for method, url, body in requests
            ]

    return asyncio.run(scenario()), log


def test_a_paired_phone_is_stored_at_any_path() -> None:
    codes, log = responses(("GET", f"/?{QUERY}", b""), ("GET", f"/anything/?{QUERY}", b""))
    assert codes == [200, 200] and len(log.fixes) == 2 and log.fixes[0].battery == 87


def test_a_form_post_is_stored() -> None:
    codes, log = responses(("POST", "/", QUERY.encode()))
    assert codes == [200] and (log.fixes[0].lat, log.fixes[0].lon) == (60.0, 30.0)


def test_strangers_malformed_large_and_other_methods_are_refused() -> None:
    codes, log = responses(
        ("GET", "/?" + QUERY.replace("123456", "999"), b""),
        ("GET", "/?" + QUERY.replace("123456", "4700186508"), b""),
        ("GET", "/?lat=1&lon=2", b""),
        ("POST", "/", b"x" * 70_000),
        ("DELETE", f"/?{QUERY}", b""),
    )
    assert codes == [403, 403, 400, 413, 405]
    assert log.fixes == []

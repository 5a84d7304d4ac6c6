"""What the pairing page tells a parent to type: SMS for watches, OwnTracks' QR. Pure."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlsplit

from carewatch.kids.gateways.limits import OncePerInterval
from carewatch.kids.gateways.setup import owntracks_config, owntracks_link, qr_svg, watch_sms


def test_the_watch_sms_name_the_server_port_and_interval() -> None:
    texts = [sms.text for sms in watch_sms("gw.example.org", 5093, 120)]
    assert texts == [
        "pw,123456,ip,gw.example.org,5093#",
        "pw,123456,upload,120#",
        "pw,123456,ts#",
        "pw,123456,reset#",
    ]


def test_the_owntracks_link_carries_its_whole_configuration() -> None:
    config = owntracks_config("https://care.example.org/owntracks/", "123", "pw", "phone", "AS")
    link = owntracks_link(config)
    assert link.startswith("owntracks:///config?inline=")
    inline = parse_qs(urlsplit(link).query)["inline"][0]
    decoded = json.loads(base64.b64decode(inline))
    assert decoded == config
    assert decoded["mode"] == 3 and decoded["username"] == "123" and decoded["tid"] == "AS"


def test_the_qr_code_is_an_inline_svg_without_script_or_style() -> None:
    svg = qr_svg("owntracks:///config?inline=e30=", "OwnTracks")
    assert svg.startswith("<svg") and "<path" in svg
    assert "<script" not in svg and "style" not in svg


def test_once_per_interval_says_yes_once_per_key_and_interval_and_stays_bounded() -> None:
    once = OncePerInterval(60.0, max_keys=3)
    assert once.due("a", 0.0) and not once.due("a", 59.0) and once.due("a", 61.0)
    for number in range(10):
        once.due(str(number), 62.0)
    assert len(once._last) == 3

"""What a parent types into a device to point it at CareWatch. Plain Python, no Django.

Watches are set up by SMS from any phone (`pw,123456,...#`, 123456 being the factory
password); the Traccar Client and OwnTracks by their settings screens, OwnTracks also by
scanning a QR code that holds its whole configuration.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

import segno

FACTORY_PASSWORD = "123456"
DEFAULT_INTERVAL_S = 300  # every five minutes: a day's battery on most watches


@dataclass(frozen=True, slots=True)
class Sms:
    text: str
    why: str  # a key the template turns into a translated sentence


def watch_sms(host: str, port: int, interval_s: int = DEFAULT_INTERVAL_S) -> list[Sms]:
    """The SMS messages to send to the watch's SIM number, in order."""
    pw = FACTORY_PASSWORD
    return [
        Sms(f"pw,{pw},ip,{host},{port}#", "server"),
        Sms(f"pw,{pw},upload,{interval_s}#", "interval"),
        Sms(f"pw,{pw},ts#", "check"),
        Sms(f"pw,{pw},reset#", "restart"),
    ]


def owntracks_config(
    url: str, username: str, password: str, device_name: str = "phone", tracker_id: str = ""
) -> dict[str, Any]:
    """OwnTracks' own configuration format (mode 3 = HTTP)."""
    config: dict[str, Any] = {
        "_type": "configuration",
        "mode": 3,
        "url": url,
        "auth": True,
        "username": username,
        "password": password,
        "deviceId": device_name,
        "monitoring": 1,  # significant changes: the battery-friendly mode
    }
    if tracker_id:
        config["tid"] = tracker_id[:2]
    return config


def owntracks_link(config: dict[str, Any]) -> str:
    """The link OwnTracks opens (and its QR code holds) to import a configuration."""
    inline = base64.b64encode(json.dumps(config, separators=(",", ":")).encode()).decode()
    return f"owntracks:///config?inline={inline}"


def qr_svg(text: str, title: str) -> str:
    """An inline SVG QR code (no script, no style: it passes a strict CSP)."""
    return str(segno.make(text, error="m").svg_inline(scale=4, title=title, dark="#000"))

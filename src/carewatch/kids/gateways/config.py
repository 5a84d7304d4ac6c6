"""Gateway settings from environment variables (plain Python, read before Django starts).

Devices cannot be told "try later" in words: the limits below are what keeps one broken
or hostile device from costing the others anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from carewatch.platform.lib.env import ConfigError, env_bool, env_int

DEFAULT_WATCH_PORT = 5093
DEFAULT_OSMAND_PORT = 5055


@dataclass(frozen=True, slots=True)
class GatewayConfig:
    host: str = "127.0.0.1"
    watch_port: int = DEFAULT_WATCH_PORT  # 0: no watch server
    osmand_port: int = DEFAULT_OSMAND_PORT
    osmand_own_port: bool = False  # OsmAnd at "/" on osmand_port besides /osmand/
    mqtt_url: str = ""  # empty: no MQTT subscriber
    public_host: str = ""  # what devices are told to connect to (pairing page)
    # A watch sends a heartbeat (LK) every few minutes; silence longer than this is a
    # dead connection (mobile networks drop sockets without a FIN).
    idle_timeout_s: float = 900.0
    # The first frame must come this soon after connecting, and a frame once started
    # must end this soon: a slow trickle of bytes holds a socket for nothing.
    hello_timeout_s: float = 60.0
    frame_timeout_s: float = 60.0
    sweep_every_s: float = 5.0  # how often the timeouts above are checked
    # Carrier-grade NAT puts many watches behind one address: this cap stops a flood,
    # not a mobile network.
    max_per_address: int = 500
    max_connections: int = 20_000
    unknown_log_interval_s: float = 300.0
    command_ttl_s: float = 24 * 3600.0
    # uvloop (where installed) runs the gateways' event loop: reading thousands of busy
    # sockets costs it a fraction of what the standard loop spends, so an SOS read
    # behind them waits that much less. Off: the standard asyncio loop.
    uvloop: bool = True


def parse_gateway_config(env: Mapping[str, str], site_url: str = "") -> GatewayConfig:
    watch_port = _port(env, "WATCH_PORT", DEFAULT_WATCH_PORT, allow_zero=True)
    osmand_port = _port(env, "OSMAND_PORT", DEFAULT_OSMAND_PORT, allow_zero=False)
    mqtt_url = env.get("MQTT_URL", "").strip()
    if mqtt_url:
        parse_mqtt_url(mqtt_url)  # a malformed URL stops start-up, not the first message
    public_host = env.get("GATEWAY_PUBLIC_HOST", "").strip() or (
        urlsplit(site_url).hostname or "127.0.0.1"
    )
    return GatewayConfig(
        host=env.get("GATEWAY_HOST", "").strip() or "127.0.0.1",
        watch_port=watch_port,
        osmand_port=osmand_port,
        osmand_own_port=env_bool(env, "OSMAND_OWN_PORT", False),
        mqtt_url=mqtt_url,
        public_host=public_host,
        idle_timeout_s=float(_positive(env, "GATEWAY_IDLE_TIMEOUT", 900)),
        max_per_address=_positive(env, "GATEWAY_MAX_PER_ADDRESS", 500),
        max_connections=_positive(env, "GATEWAY_MAX_CONNECTIONS", 20_000),
        uvloop=env_bool(env, "GATEWAY_UVLOOP", True),
    )


@dataclass(frozen=True, slots=True)
class MqttTarget:
    host: str
    port: int
    username: str | None
    password: str | None
    tls: bool


def parse_mqtt_url(url: str) -> MqttTarget:
    """mqtt://user:pass@host:1883 or mqtts://host:8883."""
    parts = urlsplit(url)
    if parts.scheme not in {"mqtt", "mqtts"} or not parts.hostname:
        raise ConfigError(
            f"MQTT_URL must look like mqtt://user:password@host:1883 or mqtts://host:8883, "
            f"not {url!r}."
        )
    try:
        port = parts.port
    except ValueError:
        raise ConfigError(f"MQTT_URL has a port that is not a number: {url!r}.") from None
    tls = parts.scheme == "mqtts"
    return MqttTarget(
        parts.hostname, port or (8883 if tls else 1883), parts.username, parts.password, tls
    )


def _port(env: Mapping[str, str], name: str, default: int, *, allow_zero: bool) -> int:
    port = env_int(env, name, default)
    low = 0 if allow_zero else 1
    if not low <= port <= 65535:
        off = " (0 turns it off)" if allow_zero else ""
        raise ConfigError(f"{name} must be a port number from {low} to 65535{off}, not {port}.")
    return port


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    value = env_int(env, name, default)
    if value <= 0:
        raise ConfigError(f"{name} must be a whole number above 0, not {value}.")
    return value

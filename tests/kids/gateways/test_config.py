"""Gateway settings from the environment: defaults, and one sentence for each mistake."""

from __future__ import annotations

import pytest

from carewatch.kids.gateways.config import parse_gateway_config, parse_mqtt_url
from carewatch.platform.lib.env import ConfigError


def test_the_defaults_are_the_usual_ports_on_loopback() -> None:
    config = parse_gateway_config({}, "https://care.example.org")
    assert (config.host, config.watch_port, config.osmand_port) == ("127.0.0.1", 5093, 5055)
    assert not config.osmand_own_port and not config.mqtt_url
    assert config.uvloop  # where installed; the standard loop otherwise
    assert config.public_host == "care.example.org"  # what the pairing page tells devices


def test_every_setting_comes_from_its_variable() -> None:
    config = parse_gateway_config(
        {
            "GATEWAY_HOST": "0.0.0.0",
            "WATCH_PORT": "0",
            "OSMAND_PORT": "6055",
            "OSMAND_OWN_PORT": "True",
            "MQTT_URL": "mqtt://u:p@broker:1884",
            "GATEWAY_PUBLIC_HOST": "gw.example.org",
            "GATEWAY_MAX_PER_ADDRESS": "20",
            "GATEWAY_UVLOOP": "False",
        }
    )
    assert (config.host, config.watch_port, config.osmand_port) == ("0.0.0.0", 0, 6055)
    assert config.osmand_own_port and config.public_host == "gw.example.org"
    assert config.max_per_address == 20
    assert not config.uvloop


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"WATCH_PORT": "70000"}, "WATCH_PORT"),
        ({"WATCH_PORT": "http"}, "WATCH_PORT"),
        ({"OSMAND_PORT": "0"}, "OSMAND_PORT"),
        ({"OSMAND_OWN_PORT": "maybe"}, "OSMAND_OWN_PORT"),
        ({"MQTT_URL": "http://broker"}, "MQTT_URL"),
        ({"MQTT_URL": "mqtt://broker:port"}, "MQTT_URL"),
        ({"GATEWAY_MAX_PER_ADDRESS": "0"}, "GATEWAY_MAX_PER_ADDRESS"),
        ({"GATEWAY_UVLOOP": "sometimes"}, "GATEWAY_UVLOOP"),
    ],
)
def test_a_malformed_value_stops_start_up_naming_the_variable(env: dict, named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        parse_gateway_config(env)


def test_mqtt_urls_give_host_port_credentials_and_tls() -> None:
    plain = parse_mqtt_url("mqtt://gateway:s3cret@127.0.0.1")
    assert (plain.host, plain.port, plain.username, plain.password, plain.tls) == (
        "127.0.0.1",
        1883,
        "gateway",
        "s3cret",
        False,
    )
    assert parse_mqtt_url("mqtts://broker.example.org").port == 8883

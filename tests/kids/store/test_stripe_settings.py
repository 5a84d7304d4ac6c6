"""PAYMENT_GATEWAY and the Stripe settings: checked at start-up, one sentence per mistake."""

from __future__ import annotations

import re

import pytest

from carewatch.kids.store.payments.config import (
    STRIPE_API,
    PaymentConfig,
    parse_payment_config,
    warn_about_test_payments,
)
from carewatch.platform.lib.env import ConfigError

STRIPE = {"PAYMENT_GATEWAY": "stripe", "STRIPE_SECRET_KEY": "sk_test_123"}


def test_it_uses_the_test_gateway_unless_told_otherwise() -> None:
    assert parse_payment_config({}, production=False) == PaymentConfig("test", "", "", STRIPE_API)


def test_it_reads_the_stripe_settings() -> None:
    env = STRIPE | {
        "PAYMENT_GATEWAY": " Stripe ",
        "STRIPE_WEBHOOK_SECRET": "whsec_abc",
        "STRIPE_API_BASE": "http://127.0.0.1:8420/",
    }
    config = parse_payment_config(env, production=True)
    assert config == PaymentConfig("stripe", "sk_test_123", "whsec_abc", "http://127.0.0.1:8420")


@pytest.mark.parametrize(
    ("env", "production", "message"),
    [
        (
            {"PAYMENT_GATEWAY": "paypal"},
            False,
            "PAYMENT_GATEWAY must be test or stripe, not 'paypal'",
        ),
        ({"PAYMENT_GATEWAY": "stripe"}, False, "STRIPE_SECRET_KEY is not a secret key"),
        (STRIPE | {"STRIPE_SECRET_KEY": "pk_test_1"}, False, "set it to the sk_... key"),
        (STRIPE, True, "STRIPE_WEBHOOK_SECRET is not set"),
        (
            STRIPE | {"STRIPE_API_BASE": "127.0.0.1:8420"},
            False,
            "STRIPE_API_BASE is not a web address",
        ),
    ],
)
def test_a_mistake_stops_start_up_with_one_sentence(
    env: dict[str, str], production: bool, message: str
) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)) as error:
        parse_payment_config(env, production=production)
    text = str(error.value)
    assert "\n" not in text and text.endswith(".")  # one line, one sentence


@pytest.mark.parametrize("gateway", ["", "test"])
def test_production_refuses_the_test_gateway_that_approves_any_card(gateway: str) -> None:
    with pytest.raises(ConfigError, match="the TEST gateway approves any card") as error:
        parse_payment_config({"PAYMENT_GATEWAY": gateway}, production=True)
    assert "PAYMENT_TEST_GATEWAY_IN_PRODUCTION=True" in str(error.value)


def test_production_takes_the_test_gateway_only_when_told_in_so_many_words() -> None:
    env = {"PAYMENT_TEST_GATEWAY_IN_PRODUCTION": "True"}
    config = parse_payment_config(env, production=True)
    assert (config.gateway, config.test_gateway_in_production) == ("test", True)
    with pytest.raises(ConfigError, match="must be True or False"):
        parse_payment_config({"PAYMENT_TEST_GATEWAY_IN_PRODUCTION": "maybe"}, production=True)


def test_the_opt_in_is_logged_loudly_at_every_start(caplog: pytest.LogCaptureFixture) -> None:
    config = parse_payment_config({"PAYMENT_TEST_GATEWAY_IN_PRODUCTION": "True"}, production=True)
    with caplog.at_level("WARNING"):
        warn_about_test_payments(config, production=True)
    [record] = caplog.records
    assert record.levelname == "CRITICAL" and "TEST gateway" in record.getMessage()
    caplog.clear()
    warn_about_test_payments(config, production=False)
    assert caplog.records == []

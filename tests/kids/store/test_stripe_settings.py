"""PAYMENT_GATEWAY and the Stripe settings: checked at start-up, one sentence per mistake."""

from __future__ import annotations

import re

import pytest

from carewatch.kids.store.payments.config import STRIPE_API, PaymentConfig, parse_payment_config
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


def test_without_stripe_the_stripe_settings_may_stay_empty_even_in_production() -> None:
    assert parse_payment_config({}, production=True).gateway == "test"

"""The payment settings from the environment, checked at start-up. Plain Python.

Imported by settings.py before Django starts, so it may use nothing from Django.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from carewatch.platform.lib.env import ConfigError, env_bool

STRIPE_API = "https://api.stripe.com"
GATEWAY_NAMES = ("test", "stripe")


@dataclass(frozen=True)
class PaymentConfig:
    gateway: str = "test"
    stripe_secret_key: str = ""
    stripe_webhook_secret: str = ""
    stripe_api_base: str = STRIPE_API
    # Production with the gateway that approves any Luhn-valid number: only on purpose.
    test_gateway_in_production: bool = False


def parse_payment_config(env: Mapping[str, str], *, production: bool) -> PaymentConfig:
    gateway = env.get("PAYMENT_GATEWAY", "").strip().lower() or "test"
    if gateway not in GATEWAY_NAMES:
        raise ConfigError(
            f"PAYMENT_GATEWAY must be test or stripe, not {gateway!r}: set it to one of them."
        )
    secret_key = env.get("STRIPE_SECRET_KEY", "").strip()
    webhook_secret = env.get("STRIPE_WEBHOOK_SECRET", "").strip()
    api_base = env.get("STRIPE_API_BASE", "").strip().rstrip("/") or STRIPE_API
    parts = urlsplit(api_base)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"STRIPE_API_BASE is not a web address ({api_base!r}): set it like "
            "http://127.0.0.1:8420 for localstripe, or leave it unset for Stripe itself."
        )
    if gateway == "stripe" and not secret_key.startswith("sk_"):
        raise ConfigError(
            "PAYMENT_GATEWAY is stripe but STRIPE_SECRET_KEY is not a secret key: "
            "set it to the sk_... key from the Stripe dashboard."
        )
    if gateway == "stripe" and production and not webhook_secret.startswith("whsec_"):
        raise ConfigError(
            "PAYMENT_GATEWAY is stripe in production mode but STRIPE_WEBHOOK_SECRET is not set: "
            "set it to the whsec_... signing secret of the webhook endpoint."
        )
    test_opt_in = env_bool(env, "PAYMENT_TEST_GATEWAY_IN_PRODUCTION", False)
    if gateway == "test" and production and not test_opt_in:
        raise ConfigError(
            "PAYMENT_GATEWAY is test (or unset) in production mode and the TEST gateway approves "
            "any card: set PAYMENT_GATEWAY=stripe with its keys, or "
            "PAYMENT_TEST_GATEWAY_IN_PRODUCTION=True to take no real money on purpose."
        )
    return PaymentConfig(gateway, secret_key, webhook_secret, api_base, test_opt_in)


def warn_about_test_payments(config: PaymentConfig, *, production: bool) -> None:
    """Called at every start: an opted-in TEST gateway in production is never silent."""
    if production and config.gateway == "test":
        logging.getLogger("carewatch.payments").critical(
            "PRODUCTION with the TEST gateway (PAYMENT_TEST_GATEWAY_IN_PRODUCTION=True): "
            "every Luhn-valid card number is approved and no money is taken."
        )

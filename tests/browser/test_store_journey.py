"""A parent compares two trackers, buys one with a test card and gets the e-mails; staff
ship it; the reminder and review e-mails go out when the clock moves; the parent pairs
the tracker with the code from the order; after the nightly run their shop profile
recommends accessories that fit that watch."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.browser.conftest import log_in as browser_log_in
from tests.browser.conftest import run_scenario
from tests.browser.store_scenario import PARENT, PASSWORD, STAFF
from tests.browser.test_signup_journey import screenshot
from tests.browser.test_tracker_journey import wait_for
from tests.conftest import free_port
from tests.mailbox import Mailbox
from tests.platform.serving import embedded_env, running

pytestmark = pytest.mark.browser


def scenario(env: dict[str, str], *args: str) -> dict[str, Any]:
    return run_scenario("tests.browser.store_scenario", env, *args)


def log_in(page: Any, base: str, email: str) -> None:
    browser_log_in(page, base, email, PASSWORD)


def log_out(page: Any, base: str) -> None:
    page.goto(base + "/kids/shop/")
    page.click("header form button[type=submit]")


def mail_with(mailbox: Mailbox, words: str) -> str:
    wait_for(
        lambda: any(words in str(m["Subject"]) for m in mailbox.messages), 30, f"'{words}' mail"
    )
    found = [
        t
        for m, t in zip(mailbox.messages, mailbox.texts(), strict=False)
        if words in str(m["Subject"])
    ]
    return found[0]


def buy_a_tracker(page: Any, base: str, artifacts: Path) -> str:
    page.goto(base + "/kids/shop/?connectivity=lte")
    assert "CareWatch Swim 4G" in page.inner_text("main")
    screenshot(page, artifacts / "store-list.png")
    page.goto(base + "/kids/shop/compare/?p=carewatch-junior-4g&p=carewatch-swim-4g")
    assert "IP68: swimming" in page.inner_text("table.compare")
    screenshot(page, artifacts / "store-compare.png")
    page.click("table.compare a:has-text('CareWatch Junior 4G')")
    page.click("main form button:has-text('Add to basket')")
    page.wait_for_url(re.compile(r".*/kids/shop/basket/$"))
    page.click("a:has-text('Go to checkout')")
    for name, value in {
        "name": "Priya Shopper",
        "phone": "9876543210",
        "address_line1": "12 Anna Salai",
        "city": "Chennai",
        "state": "Tamil Nadu",
        "pincode": "600002",
    }.items():
        page.fill(f"input[name={name}]", value)
    page.click("main form button:has-text('Continue to payment')")
    page.wait_for_url(re.compile(r".*/checkout/pay/$"))
    page.fill("input[name=number]", "4242 4242 4242 4242")
    page.fill("input[name=exp_month]", "12")
    page.fill("input[name=exp_year]", "30")
    page.fill("input[name=cvc]", "123")
    screenshot(page, artifacts / "store-pay.png")
    page.click("main form button:has-text('Pay ₹5,499.00')")
    page.wait_for_url(re.compile(r".*/kids/shop/orders/CW-[0-9A-F]+/$"))
    assert "Your order is placed and paid." in page.inner_text("main")
    screenshot(page, artifacts / "store-order.png")
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def test_a_parent_buys_a_tracker_that_staff_ship_and_the_parent_pairs(
    browser_page: Any, artifacts: Path, tmp_path: Path
) -> None:
    page, mailbox = browser_page, Mailbox()
    smtp_port, web_port = free_port(), free_port()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    env = embedded_env(
        tmp_path, EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}", STAFF_MFA_REQUIRED="False"
    )
    base = f"http://127.0.0.1:{web_port}"
    try:
        with running("serve", web_port, env):
            ids = scenario(env, "setup")
            log_in(page, base, PARENT)
            number = buy_a_tracker(page, base, artifacts)
            assert number in mail_with(mailbox, "is confirmed")
            identifier = page.inner_text("main code >> nth=0")
            code = page.inner_text("main code >> nth=1")

            log_out(page, base)
            log_in(page, base, STAFF)
            page.goto(f"{base}/kids/shop/staff/dispatch/{number}/")
            page.click("button[name=status][value=packed]")
            page.fill("input[name=carrier]", "BlueDart")
            page.fill("input[name=tracking_number]", "BD424242")
            page.click("button[name=status][value=shipped]")
            page.wait_for_selector("main p:has-text('Shipped')")
            assert "trackNo=BD424242" in mail_with(mailbox, "is on its way")

            assert scenario(env, "clock", number) == {"reminders": 1, "reviews": 1}
            mail_with(mailbox, "arrives tomorrow")
            mail_with(mailbox, "is delivered")
            assert code in mail_with(mailbox, "Set up your tracker")
            mail_with(mailbox, "Tell other parents")

            log_out(page, base)
            log_in(page, base, PARENT)
            page.goto(f"{base}/kids/tracker/family/{ids['family']}/pair/")
            page.fill("input[name=identifier]", identifier)
            page.fill("input[name=code]", code)
            page.select_option("select[name=child]", str(ids["child"]))
            page.click("main form button[type=submit]")
            # With only the in-app inbox, pairing goes on to "How alerts reach you"; with a
            # second channel, to the watch's setup page (the SMS that point it at us).
            page.wait_for_url(re.compile(r".*/kids/tracker/family/[0-9]+/(reach|devices/[0-9]+)/$"))
            assert "paired with Anu" in page.inner_text("main")

            assert scenario(env, "train")["rows"] > 0
            page.goto(f"{base}/kids/shop/for-you/")
            recommended = page.inner_text("section.recommended")
            assert "Fits your CareWatch Junior 4G" in recommended
            screenshot(page, artifacts / "store-for-you.png")
    finally:
        smtp.stop()

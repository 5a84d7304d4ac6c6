"""After the sale: a parent whose watch was delivered opens the profile, sees
recommendations that fit the watch and a personal offer, applies the offer and pays the
discounted price; a new product is published and the parent, who asked for new-product
e-mails at checkout and confirmed by the link, gets one e-mail that unsubscribes in one
click (RFC 8058), as a mail client does it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from tests.browser.after_sale_scenario import NEW_PRODUCT, PARENT, PASSWORD
from tests.browser.conftest import log_in, run_scenario
from tests.browser.test_signup_journey import screenshot
from tests.browser.test_tracker_journey import wait_for
from tests.conftest import free_port
from tests.mailbox import Mailbox
from tests.platform.serving import embedded_env, running

pytestmark = pytest.mark.browser


def scenario(env: dict[str, str], *args: str) -> dict[str, Any]:
    return run_scenario("tests.browser.after_sale_scenario", env, *args)


def mails_with(mailbox: Mailbox, words: str) -> list[Any]:
    return [m for m in mailbox.messages if words in str(m["Subject"])]


def wait_for_mail(mailbox: Mailbox, words: str) -> Any:
    wait_for(lambda: mails_with(mailbox, words), 30, f"'{words}' mail")
    return mails_with(mailbox, words)[0]


def text_of(message: Any) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    return str(part.get_content()) if part is not None else ""


def buy_a_watch_asking_for_news(page: Any, base: str) -> str:
    page.goto(base + "/kids/shop/products/carewatch-junior-4g/")
    page.click("main form button:has-text('Add to basket')")
    page.wait_for_url(re.compile(r".*/kids/shop/basket/$"))
    page.click("a:has-text('Go to checkout')")
    fill_details(page)
    box = page.locator("input[name=news]")
    assert not box.is_checked()  # never ticked for the customer
    box.check()
    page.click("main form button:has-text('Continue to payment')")
    return pay(page, "5,499.00")


def fill_details(page: Any) -> None:
    for name, value in {
        "name": "Lakshmi After",
        "phone": "9876543210",
        "address_line1": "3 Beach Road",
        "city": "Chennai",
        "state": "Tamil Nadu",
        "pincode": "600004",
    }.items():
        page.fill(f"input[name={name}]", value)


def pay(page: Any, amount: str) -> str:
    page.wait_for_url(re.compile(r".*/checkout/pay/$"))
    page.fill("input[name=number]", "4242 4242 4242 4242")
    page.fill("input[name=exp_month]", "12")
    page.fill("input[name=exp_year]", "30")
    page.fill("input[name=cvc]", "123")
    page.click(f"main form button:has-text('Pay ₹{amount}')")
    page.wait_for_url(re.compile(r".*/kids/shop/orders/CW-[0-9A-F]+/$"))
    assert "Your order is placed and paid." in page.inner_text("main")
    return str(page.url.rstrip("/").rsplit("/", 1)[-1])


def offer_appears(page: Any, base: str) -> bool:
    page.goto(base + "/home/")
    return "15% off straps and chargers for your watch" in page.inner_text("main")


def test_a_parent_uses_a_personal_offer_and_leaves_the_new_product_mail_in_one_click(
    browser_page: Any, artifacts: Path, tmp_path: Path
) -> None:
    page, mailbox = browser_page, Mailbox()
    smtp_port, web_port = free_port(), free_port()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    base = f"http://127.0.0.1:{web_port}"
    env = embedded_env(
        tmp_path, EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}", STAFF_MFA_REQUIRED="False"
    )
    try:
        with running("serve", web_port, env):
            scenario(env, "setup")
            log_in(page, base, PARENT, PASSWORD)
            number = buy_a_watch_asking_for_news(page, base)

            # Double opt-in: the link in the e-mail shows a button; pressing it subscribes.
            confirmation = wait_for_mail(mailbox, "Confirm that you want e-mails")
            link = re.search(r"https?://\S+/news/confirm/\S+/", text_of(confirmation))
            assert link is not None
            page.goto(link.group(0))
            page.click("main form button:has-text('Yes, send me new-product e-mails')")
            assert "You are subscribed" in page.inner_text("main")

            scenario(env, "pair", number)
            scenario(env, "deliver", number)
            wait_for(lambda: offer_appears(page, base), 30, "the personal offer")
            main = page.inner_text("main")
            assert "10% off a watch for a brother or sister" in main
            assert "Recommended for you" in main
            assert "Fits your CareWatch Junior 4G" in main
            screenshot(page, artifacts / "after-sale-profile.png")
            offer = page.locator("main li", has_text="15% off straps and chargers")
            offer.locator("button:has-text('Apply to my basket')").click()
            page.wait_for_url(re.compile(r".*/kids/shop/basket/$"))
            assert "We kept the coupon for your basket." in page.inner_text("main")

            page.goto(base + "/kids/shop/products/soft-strap/")
            page.click("main form button:has-text('Add to basket')")
            page.wait_for_url(re.compile(r".*/kids/shop/basket/$"))
            assert "You save ₹59.85" in page.inner_text("main")
            page.click("a:has-text('Go to checkout')")
            page.click("main form button:has-text('Continue to payment')")
            screenshot(page, artifacts / "after-sale-pay.png")
            second = pay(page, "438.15")  # 399 - 15 % + 99 shipping
            assert "15% off straps and chargers" in page.inner_text("main")
            assert second != number

            scenario(env, "publish")
            announcement = wait_for_mail(mailbox, NEW_PRODUCT)
            assert announcement["To"] == PARENT
            assert announcement["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            header = str(announcement["List-Unsubscribe"])
            url = re.search(r"<(https?://[^>]+)>", header)
            assert url is not None and "<mailto:" in header
            one_click = httpx.post(
                url.group(1),
                content=b"List-Unsubscribe=One-Click",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            assert one_click.status_code == 200
            assert scenario(env, "status", PARENT) == {"status": "unsubscribed"}
            assert len(mails_with(mailbox, NEW_PRODUCT)) == 1
    finally:
        smtp.stop()

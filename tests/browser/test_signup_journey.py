"""A newcomer in Tamil: landing page, sign-up, e-mail verification and login, on a phone."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.browser.conftest import log_in
from tests.conftest import free_port
from tests.mailbox import Mailbox
from tests.platform.serving import embedded_env, running

pytestmark = pytest.mark.browser
PASSWORD = "tamil-journey-password-7"


def wait_for_mail(mailbox: Mailbox, count: int, seconds: float = 20) -> str:
    deadline = time.monotonic() + seconds
    while len(mailbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(mailbox.messages) >= count, "the verification e-mail never arrived"
    return mailbox.texts()[count - 1]


def screenshot(page: Any, path: Path) -> None:
    page.evaluate("document.fonts.ready")  # the Tamil web font arrives after the text
    page.screenshot(path=str(path), full_page=True)


def test_a_newcomer_signs_up_in_tamil_verifies_the_address_and_logs_in(
    browser_page: Any, artifacts: Path, tmp_path: Path
) -> None:
    page = browser_page
    mailbox = Mailbox()
    smtp_port, web_port = free_port(), free_port()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    base = f"http://127.0.0.1:{web_port}"
    # Mailed links are built from SITE_URL when the mail is sent, never from the request's
    # Host header (which a password-reset request could forge).
    env = embedded_env(tmp_path, EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}", SITE_URL=base)
    try:
        with running("serve", web_port, env):
            page.goto(base + "/")
            assert page.locator("html").get_attribute("lang") == "en"
            page.click("button[name=language][value=ta]")
            page.wait_for_selector("html[lang=ta]")
            screenshot(page, artifacts / "landing-ta.png")

            page.click("header a[href='/accounts/signup/']")
            page.fill("input[name=email]", "meena@example.org")
            page.fill("input[name=password1]", PASSWORD)
            page.fill("input[name=password2]", PASSWORD)
            page.click("main form button[type=submit]")
            page.wait_for_url(re.compile(r".*/accounts/confirm-email/$"))

            mail = wait_for_mail(mailbox, 1)
            link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail)
            assert link is not None, mail
            assert link.group(0).startswith(base), "the link must lead back to this server"
            page.goto(link.group(0))
            page.click("main form button[type=submit]")
            page.wait_for_url(re.compile(r".*/home/$"))

            page.click("header form[action='/accounts/logout/'] button")
            page.wait_for_url(re.compile(rf"{base}/$"))
            log_in(page, base, "meena@example.org", PASSWORD)
            assert page.locator("html").get_attribute("lang") == "ta"
            assert "meena@example.org" in page.content()
            screenshot(page, artifacts / "home-after-login-ta.png")
    finally:
        smtp.stop()

"""On the live map a parent asks the assistant in Tamil, gets the live-map help, asks for
a person; staff answer in the inbox; the answer arrives by e-mail and in the thread."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.browser.assistant_scenario import STAFF, STAFF_PASSWORD
from tests.browser.conftest import log_in, run_scenario
from tests.browser.test_signup_journey import screenshot
from tests.browser.test_tracker_journey import wait_for
from tests.browser.tracker_scenario import PARENT, PASSWORD
from tests.conftest import free_port
from tests.mailbox import Mailbox
from tests.platform.serving import embedded_env, running

pytestmark = pytest.mark.browser
QUESTION = "வரைபடத்தில் என் குழந்தையின் இடம் ஏன் பழையதாகக் காட்டுகிறது?"
ANSWER = "We have checked your watch: it works again."


def ask_without_javascript(browser: Any, base: str, artifacts: Path) -> None:
    """The panel is a <details> and a plain form: the answer comes back as a page."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(base + "/kids/")
    page.click("#assistant > summary")
    page.fill("#assistant-question", "how do I draw a safe place around the school")
    page.click("#assistant button[type=submit]")
    page.wait_for_url(re.compile(r".*/assistant/$"))
    link = page.locator("main .assistant-answer a").first
    assert link.get_attribute("href").startswith("/help/kids/safe-places/")
    screenshot(page, artifacts / "assistant-without-javascript.png")
    context.close()


def test_a_parent_asks_in_tamil_on_the_live_map_then_a_person_answers(
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
            ids = run_scenario("tests.browser.assistant_scenario", env)
            log_in(page, base, PARENT, PASSWORD)
            page.goto(f"{base}/kids/tracker/family/{ids['family']}/map/")
            page.click("footer button[lang=ta]")
            page.wait_for_selector("html[lang=ta]")

            page.click("#assistant > summary")
            page.fill("#assistant-question", QUESTION)
            page.keyboard.press("Enter")
            answer = page.locator("#assistant-log .assistant-answer").first
            answer.wait_for()
            link = answer.locator("a").first
            assert link.get_attribute("href").startswith("/help/kids/live-map/")
            assert page.url.endswith("/map/")  # fetch: the page stayed where it was
            screenshot(page, artifacts / "assistant-tamil-live-map.png")

            page.click("#assistant .assistant-person a")
            page.wait_for_url(re.compile(r".*/assistant/person/$"))
            page.fill("textarea[name=note]", "இதை ஒருவர் பார்க்க வேண்டும்")
            page.click("main form button[type=submit]")
            page.wait_for_url(re.compile(r".*/support/threads/\d+/$"))
            thread_url = page.url
            assert QUESTION in page.inner_text("main")

            staff = page.context.browser.new_context(viewport={"width": 1280, "height": 900})
            desk = staff.new_page()
            log_in(desk, base, STAFF, STAFF_PASSWORD)
            desk.goto(base + "/support/inbox/")
            desk.click("main a:has-text('இதை ஒருவர்')")
            assert f"/kids/tracker/family/{ids['family']}/map/" in desk.inner_text("main")
            desk.fill("textarea[name=text]", ANSWER)
            desk.click("main form:has(input[value=answer]) button[type=submit]")
            desk.wait_for_url(re.compile(r".*/support/inbox/$"))
            staff.close()

            wait_for(
                lambda: any(ANSWER in text for text in mailbox.texts()), 30, "the answer e-mail"
            )
            assert any(PARENT in str(m["To"]) for m in mailbox.messages)
            page.goto(thread_url)
            assert ANSWER in page.inner_text("main")
            screenshot(page, artifacts / "assistant-thread-answered.png")
            ask_without_javascript(page.context.browser, base, artifacts)
    finally:
        smtp.stop()

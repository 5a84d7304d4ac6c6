"""The person behind the help assistant, on a 390 px phone: staff answer a hand-over in
the support inbox; the guest opens the link from the e-mail, reads the answer in the
conversation and writes back, with nothing wider than the screen."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.inprocess import log_in_as
from tests.browser.test_signup_journey import screenshot

pytestmark = pytest.mark.browser
WIDTH = 390
ANSWER = "சிம் கார்டில் டேட்டா உள்ளதா என்று பாருங்கள்."


def test_staff_answer_and_the_guest_reads_it_and_writes_back_on_a_phone(
    browser_page: Any, site: str, artifacts: Path
) -> None:
    from django.core import mail

    from carewatch.platform.accounts.models import User
    from carewatch.platform.support import actions
    from carewatch.platform.support.models import Author
    from tests.base import with_authenticator

    staff = User.objects.create_user("help@example.org", "pw-staff-12345", is_staff=True)
    with_authenticator(staff)
    thread = actions.open_thread(
        "handover",
        email="ravi@example.org",
        lang="ta",
        page="/kids/tracker/map/",
        subject="கடிகாரம் வரைபடத்தில் இல்லை",
        messages=[
            ("user", "கடிகாரம் வரைபடத்தில் தெரியவில்லை"),
            ("assistant", "சிம் அமைப்பைப் பாருங்கள்: /help/kids/watch-setup/"),
            ("user", "ஒருவரிடம் பேச வேண்டும்"),
        ],
    )
    page = browser_page
    log_in_as(page, site, staff)
    page.goto(f"{site}/support/inbox/")
    assert "1 conversation waiting" in page.inner_text("main")
    page.click(f"a[href='/support/inbox/{thread.pk}/']")
    assert "/kids/tracker/map/" in page.inner_text("main")
    page.fill("textarea[name=text]", ANSWER)
    screenshot(page, artifacts / "support-staff-answer.png")
    page.click("main form button:has-text('Send the answer')")
    page.wait_for_url(re.compile(r".*/support/inbox/$"))

    (message,) = mail.outbox
    assert message.to == ["ravi@example.org"] and message.reply_to
    found = re.search(r"/support/c/[^/\s]+/", str(message.body))
    assert found is not None, message.body
    page.context.clear_cookies()
    page.goto(site + found.group())
    main = page.inner_text("main")
    assert ANSWER in main and "ஒருவரிடம் பேச வேண்டும்" in main
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    page.fill("textarea[name=text]", "நன்றி, இப்போது வேலை செய்கிறது")
    page.click("main form button:has-text('Send')")
    page.wait_for_url(re.compile(r".*/support/c/.+/$"))
    screenshot(page, artifacts / "support-guest-thread.png")
    assert "நன்றி, இப்போது வேலை செய்கிறது" in page.inner_text("main")
    assert thread.messages.filter(author=Author.USER).count() == 3

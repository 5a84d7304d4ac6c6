"""A screener registers a patient with consent and uploads two real fundus photos; the
grade appears; the doctor signs; the patient opens the report with a one-time code and
downloads the PDF; the centre's audit log shows each step. Staff sign in with TOTP."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from tests.browser.conftest import run_scenario
from tests.browser.eyes_scenario import ADMIN, DOCTOR, PASSWORD, SCREENER
from tests.browser.test_signup_journey import screenshot
from tests.browser.test_store_journey import mail_with
from tests.conftest import free_port, require
from tests.mailbox import Mailbox
from tests.platform.serving import embedded_env, running

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parents[2]
IDRID = REPO.parent / "shared" / "fundus" / "idrid"
PATIENT_EMAIL = "lakshmi.patient@example.org"


def setup(env: dict[str, str]) -> dict[str, str]:
    return {k: str(v) for k, v in run_scenario("tests.browser.eyes_scenario", env, "setup").items()}


def staff_log_in(page: Any, base: str, email: str, secret: str) -> None:
    """Password, then the authenticator app's code, as the platform requires of staff."""
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("input[name=code]")
    page.fill("input[name=code]", format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/home/$"))


def register_patient(page: Any, base: str, centre: str) -> None:
    page.goto(f"{base}/eyes/centre/{centre}/patients/new/")
    page.fill("input[name=name]", "Lakshmi Narayanan")
    page.fill("input[name=date_of_birth]", "1962-04-17")
    page.select_option("select[name=sex]", "female")
    page.fill("input[name=email]", PATIENT_EMAIL)
    page.select_option("select[name=diabetes_type]", "type2")
    page.fill("input[name=diabetes_since]", "2009")
    page.check("input[name=consent_screening]")
    page.check("input[name=consent_research]")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Lakshmi Narayanan is registered.")


def photograph_both_eyes(page: Any, artifacts: Path) -> None:
    page.click("button:has-text('Start a visit today')")
    page.wait_for_url(re.compile(r".*/visits/[0-9]+/$"))
    # Two real photographs from IDRiD: grade 3 with macular edema and grade 0.
    page.set_input_files("input[name=right]", str(IDRID / "IDRiD_001.jpg"))
    page.set_input_files("input[name=left]", str(IDRID / "IDRiD_118.jpg"))
    page.click("main form button:has-text('Upload and grade')")
    page.wait_for_selector("#visit-progress >> text=Graded, waiting for the doctor", timeout=90_000)
    progress = page.inner_text("#visit-progress")
    assert progress.count("Model version") == 2, progress
    screenshot(page, artifacts / "eyes-graded.png")


def doctor_signs(page: Any, base: str, centre: str, artifacts: Path) -> None:
    page.goto(f"{base}/eyes/centre/{centre}/review/")
    # Grade 3 with macular edema: vision-threatening, so the grader flags it urgent.
    assert "Urgent referral" in page.inner_text("main table")
    page.click("main table a:has-text('Review')")
    page.wait_for_selector("button:has-text('Sign the report')")
    screenshot(page, artifacts / "eyes-review.png")
    page.check("input[name=right-choice][value=agree]")  # nothing is preselected
    page.check("input[name=left-choice][value=agree]")
    page.check("input[name=confirm]")
    page.click("button:has-text('Sign the report')")
    page.wait_for_url(re.compile(r".*/documents/reports/[0-9]+/$"))
    assert "Dr Rao" in page.inner_text("main")


def patient_downloads_the_report(page: Any, mailbox: Mailbox, artifacts: Path) -> bytes:
    page.context.clear_cookies()
    letter = mail_with(mailbox, "report from Lotus Eye Centre is ready")
    assert "grade" not in letter.lower() and "retinopathy" not in letter.lower()
    link = re.search(r"https?://\S+/eyes/my/r/\S+/", letter)
    assert link, letter
    page.goto(link.group(0))
    page.click("button:has-text('Send me a code')")
    code = re.search(r"\b(\d{6})\b", mail_with(mailbox, "Your CareWatch code"))
    assert code
    page.fill("input[name=code]", code.group(1))
    page.click("button:has-text('Open my report')")
    page.wait_for_url(re.compile(r".*/eyes/my/reports/$"))
    page.click("main h1 + ul a")
    assert "Lakshmi" in page.inner_text("main")
    screenshot(page, artifacts / "eyes-patient-report.png")
    with page.expect_download() as download:
        page.click("main a:has-text('Download as PDF')")
    return Path(download.value.path()).read_bytes()


def test_a_screening_visit_goes_from_registration_to_the_patients_signed_pdf(
    browser_page: Any, artifacts: Path, tmp_path: Path
) -> None:
    require(IDRID.is_dir(), "the real fundus photographs in ../shared/fundus")
    page, mailbox = browser_page, Mailbox()
    smtp_port, web_port = free_port(), free_port()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    base = f"http://127.0.0.1:{web_port}"
    env = embedded_env(tmp_path, EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}", SITE_URL=base)
    try:
        with running("serve", web_port, env):
            ids = setup(env)
            centre = ids["centre"]
            staff_log_in(page, base, SCREENER, ids["screener"])
            register_patient(page, base, centre)
            photograph_both_eyes(page, artifacts)

            staff_log_in(page, base, DOCTOR, ids["doctor"])
            doctor_signs(page, base, centre, artifacts)

            pdf = patient_downloads_the_report(page, mailbox, artifacts)
            assert pdf.startswith(b"%PDF")

            staff_log_in(page, base, ADMIN, ids["admin"])
            page.goto(f"{base}/eyes/centre/{centre}/audit/")
            log = page.inner_text("main")
            screenshot(page, artifacts / "eyes-audit.png")
            for action in [
                "patient.register",
                "image.upload",
                "report.sign",
                "portal.login",
                "portal.download",
            ]:
                assert action in log, f"{action} missing from the audit log:\n{log}"
    finally:
        smtp.stop()

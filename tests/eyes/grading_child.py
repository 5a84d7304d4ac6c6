"""A separate process for the stuck-grading test: `python -m tests.eyes.grading_child MODE`
with DATA_DIR pointing at the test's folder (its SQLite database and task queue).

setup   migrate, upload one photo (its grading task waits in the queue); prints the id
worker  the real task worker (`carewatch worker`), with a grader that blocks mid-grading
        after writing the file named by BLOCKED_MARKER: the test kills this process
state   prints the photo's state as JSON
sweep   the clock moves past the dead worker's claim; runs the periodic sweep twice
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any


def setup() -> None:
    from django.core.management import call_command

    from carewatch.platform.accounts.models import Clinic
    from tests.base import make_user
    from tests.eyes.helpers import add_photo, make_patient, make_visit

    call_command("migrate", verbosity=0)
    clinic = Clinic.objects.create(name="Demo Centre", slug="demo-centre")
    screener = make_user("screener@example.org")
    visit = make_visit(make_patient(clinic, screener), screener)
    print(add_photo(visit, "right", screener).pk)


class BlockingGrader:
    def grade(self, data: bytes) -> Any:
        Path(os.environ["BLOCKED_MARKER"]).write_text("grading")
        time.sleep(600)


def worker() -> None:
    from unittest import mock

    from django.core.management import call_command

    with mock.patch("carewatch.eyes.screening.grading.grader", return_value=BlockingGrader()):
        call_command("run_huey", workers=1, periodic=False)


def state() -> None:
    from huey.contrib.djhuey import HUEY

    from carewatch.eyes.screening.models import Grading, Image

    image = Image.objects.get()
    started = image.grading_started.isoformat() if image.grading_started else None
    print(
        json.dumps(
            {
                "status": image.status,
                "grading_started": started,
                "gradings": Grading.objects.count(),
                "tasks_waiting": HUEY.pending_count(),
            }
        )
    )


def sweep() -> None:
    from django.db.models import F

    from carewatch.eyes.screening import grading, tasks
    from carewatch.eyes.screening.models import Image

    lapsed = F("grading_started") - grading.LEASE - timedelta(minutes=1)
    Image.objects.update(grading_started=lapsed)  # the dead worker's claim runs out
    tasks.requeue_stuck_images.call_local()
    tasks.requeue_stuck_images.call_local()  # a second sweep finds nothing to do
    state()


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carewatch.settings")
    import django

    django.setup()
    {"setup": setup, "worker": worker, "state": state, "sweep": sweep}[sys.argv[1]]()

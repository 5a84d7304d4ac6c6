"""Run beside a served app: `python -m tests.browser.assistant_scenario setup`.

Makes the tracker journey's parent and family (see tracker_scenario) and a member of
staff for the support inbox, and prints their ids as JSON.
"""

from __future__ import annotations

import json
import os

STAFF = "support.staff@example.org"
STAFF_PASSWORD = "support-password-42"


def setup() -> dict[str, int]:
    from allauth.account.models import EmailAddress

    from carewatch.platform.accounts.models import User
    from tests.browser.tracker_scenario import setup as tracker_setup

    ids = tracker_setup()
    staff = User.objects.create_user(STAFF, STAFF_PASSWORD, first_name="Meena", is_staff=True)
    EmailAddress.objects.create(user=staff, email=STAFF, verified=True, primary=True)
    return ids | {"staff": staff.pk}


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carewatch.settings")
    import django

    django.setup()
    print(json.dumps(setup()))

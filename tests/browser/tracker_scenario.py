"""Run beside a served app: `python -m tests.browser.tracker_scenario setup|walk`.

`setup` makes a parent with a verified e-mail channel, a child with a paired watch and a
"School" place, and prints their ids as JSON. `walk` is the simulator walking the child
out of School through the real ingestion path, 30 simulated seconds per real second
(fix times stay within the rules' five-minute window of the server's clock).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time

PARENT = "parent.journey@example.org"
PASSWORD = "journey-password-42"
IMEI = "860000000000042"


def setup() -> dict[str, int]:
    from allauth.account.models import EmailAddress

    from carewatch.kids.simulator.routes import SCHOOL
    from carewatch.kids.tracker.models import Child, Device, Place
    from carewatch.platform.accounts.actions import do_create_family
    from carewatch.platform.accounts.models import User
    from carewatch.platform.notify.models import Channel

    parent = User.objects.create_user(PARENT, PASSWORD, first_name="Priya")
    EmailAddress.objects.create(user=parent, email=PARENT, verified=True, primary=True)
    Channel.objects.create(
        owner=parent, kind="email", name="E-mail", value={"email": PARENT}, verified=True
    )
    family = do_create_family(parent, "The Journey family")
    child = Child.objects.create(family=family, name="Asha", birth_year=2017)
    device = Device.objects.create(identifier=IMEI, family=family, child=child, name="Asha's watch")
    Place.objects.create(
        family=family, name="School", kind="school", lat=SCHOOL[0], lon=SCHOOL[1], radius_m=120
    )
    return {"family": family.pk, "device": device.pk}


def walk(seconds_per_tick: float = 1.0) -> None:
    from django.utils import timezone

    from carewatch.kids.simulator.routes import SCHOOL, Leg, Walker
    from carewatch.kids.tracker.ingestion import ingest_fixes
    from carewatch.kids.tracking import Fix

    outside = (SCHOOL[0] + 0.02, SCHOOL[1])  # about 2.2 km north: still walking at the end
    walker = Walker(
        SCHOOL, (Leg((SCHOOL,), 5, pause_s=150), Leg((outside,), 15)), accuracy_m=8, seed=4
    )
    base = timezone.now() - dt.timedelta(seconds=270)
    for tick in range(16):
        simulated = 30 * tick
        (lat, lon), accuracy, battery, _ = walker.report(simulated)
        fix_time = (base + dt.timedelta(seconds=simulated)).replace(microsecond=0)
        ingest_fixes([Fix(IMEI, fix_time, lat, lon, accuracy_m=accuracy, battery=battery)])
        time.sleep(seconds_per_tick)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carewatch.settings")
    import django

    django.setup()
    if sys.argv[1] == "setup":
        print(json.dumps(setup()))
    else:
        walk()

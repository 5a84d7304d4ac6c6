"""Run beside a served app: `python -m tests.browser.eyes_scenario setup`.

Makes a screening centre with a screener, a doctor and an administrator, each with
a verified e-mail and an authenticator app (TOTP), as staff must have; prints the
centre's slug and each one's TOTP secret as JSON.
"""

from __future__ import annotations

import json
import os
import sys

CENTRE = "lotus-eye-centre"
SCREENER = "meena.screener@example.org"
DOCTOR = "dr.rao@example.org"
ADMIN = "centre.admin@example.org"
PASSWORD = "screening-password-42"


def setup() -> dict[str, str]:
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from carewatch.platform.accounts.models import Clinic, ClinicMembership, ClinicRole, User

    clinic = Clinic.objects.create(name="Lotus Eye Centre", slug=CENTRE)
    secrets = {"centre": CENTRE}
    for email, role, name in [
        (SCREENER, ClinicRole.SCREENER, "Meena"),
        (DOCTOR, ClinicRole.DOCTOR, "Dr Rao"),
        (ADMIN, ClinicRole.ADMIN, "Arul"),
    ]:
        user = User.objects.create_user(email, PASSWORD, first_name=name)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        ClinicMembership.objects.create(clinic=clinic, user=user, role=role)
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        secrets[role] = secret
    return secrets


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carewatch.settings")
    import django

    django.setup()
    if sys.argv[1] == "setup":
        print(json.dumps(setup()))

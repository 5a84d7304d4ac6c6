"""Demo data for `carewatch demo`: a family and a screening centre with named logins.

Idempotent: running the demo twice keeps one copy of everything.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser

from carewatch.eyes.booking.demo import load_demo_centres
from carewatch.kids.simulator.routes import Walker
from carewatch.kids.simulator.runner import ensure_simulated_family
from carewatch.kids.store.catalogue.loader import load_catalogue
from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.recommend.build import refresh as refresh_recommendations
from carewatch.kids.store.reviews.actions import do_ask
from carewatch.platform.accounts.models import (
    Clinic,
    ClinicMembership,
    ClinicRole,
    Family,
    FamilyMembership,
    FamilyRole,
    User,
)
from carewatch.platform.support.actions import open_thread
from carewatch.platform.support.models import Thread

DEMO_PASSWORD = "carewatch-demo"


def load_demo_data() -> list[tuple[str, str, str]]:
    """Creates the demo accounts; returns (role, e-mail, password) for the banner."""
    parent = _user("parent@example.com", "Priya", "Sharma")
    guardian = _user("guardian@example.com", "Arjun", "Sharma")
    family, _ = Family.objects.get_or_create(name="The Sharma family")
    FamilyMembership.objects.get_or_create(
        family=family, user=parent, defaults={"role": FamilyRole.OWNER}
    )
    FamilyMembership.objects.get_or_create(
        family=family, user=guardian, defaults={"role": FamilyRole.GUARDIAN}
    )
    clinic, _ = Clinic.objects.get_or_create(
        slug="demo-centre",
        defaults={"name": "Demo Screening Centre", "city": "Chennai", "address": "12 Anna Salai"},
    )
    staff = {
        "screener": _user("screener@example.com", "Meena", "R"),
        "doctor": _user("doctor@example.com", "Dr Kavya", "Iyer"),
        "admin": _user("clinicadmin@example.com", "Ravi", "Kumar"),
    }
    for role, user in staff.items():
        ClinicMembership.objects.get_or_create(clinic=clinic, user=user, defaults={"role": role})
    load_demo_centres()
    _user("admin@example.com", "Site", "Admin", superuser=True)
    load_catalogue()
    _demo_conversations(parent)
    refresh_recommendations()  # related products from the first page view
    return [
        ("parent", parent.email, DEMO_PASSWORD),
        ("guardian", guardian.email, DEMO_PASSWORD),
        (f"clinic {ClinicRole.SCREENER.value}", staff["screener"].email, DEMO_PASSWORD),
        (f"clinic {ClinicRole.DOCTOR.value}", staff["doctor"].email, DEMO_PASSWORD),
        (f"clinic {ClinicRole.ADMIN.value}", staff["admin"].email, DEMO_PASSWORD),
        ("site admin", "admin@example.com", DEMO_PASSWORD),
    ]


def _demo_conversations(parent: User) -> None:
    """Something for the site admin to answer at /support/inbox/: a product question from
    a guest and a conversation the help assistant handed over."""
    if Thread.objects.exists():
        return
    junior = Product.objects.filter(slug="carewatch-junior-4g").first()
    if junior is not None:
        do_ask(junior, AnonymousUser(), "meera@example.com", "Does it work with a Jio SIM?", "en")
    open_thread(
        "handover",
        user=parent,
        lang="hi",
        page="/kids/tracker/",
        subject="घड़ी नक्शे पर नहीं दिख रही",
        messages=[
            ("user", "Asha ki ghadi map pe nahi dikh rahi"),
            ("assistant", "घड़ी में डेटा वाला सिम होना चाहिए: /help/kids/watch-setup/"),
            ("user", "mujhe kisi insaan se baat karni hai"),
        ],
    )


def demo_walkers() -> dict[str, Walker]:
    """The demo family's two children, walked around Chennai by the simulator."""
    family = Family.objects.get(name="The Sharma family")
    return ensure_simulated_family(family, ["Asha", "Ravi"])


def _user(email: str, first: str, last: str, *, superuser: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(email, DEMO_PASSWORD, first_name=first, last_name=last)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user

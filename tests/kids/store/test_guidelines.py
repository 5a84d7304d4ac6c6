"""Each tracker model has set-up and safety guidelines in English, Hindi and Tamil."""

from __future__ import annotations

from decimal import Decimal

from carewatch.kids.store.catalogue.guidelines import STEPS, guidelines
from carewatch.kids.store.catalogue.scoring import Spec
from tests.kids.store.base import StoreTestCase

SWIM = Spec(
    "swim",
    "Swim",
    Decimal("6999"),
    lte=True,
    water_rating="IP68",
    sos_button=True,
    calling=True,
    school_mode=True,
)
JUNIOR = Spec("junior", "Junior", Decimal("2999"), water_rating="IP54", sos_button=True)


def test_every_step_is_written_in_english_hindi_and_tamil() -> None:
    assert all(set(step.text) == {"en", "hi", "ta"} for step in STEPS)
    assert all(text.strip() for step in STEPS for text in step.text.values())


def test_each_model_gets_only_the_steps_that_apply_to_it() -> None:
    swim, junior = guidelines(SWIM, "en"), guidelines(JUNIOR, "en")
    assert any("rinse the watch" in step for step in swim)
    assert not any("SIM" in step for step in junior)
    assert any("take it off before a bath" in step for step in junior)
    assert len(swim) > len(junior)


def test_an_unknown_language_falls_back_to_english() -> None:
    assert guidelines(JUNIOR, "fr") == guidelines(JUNIOR, "en")
    assert guidelines(JUNIOR, "hi")[0].startswith("पहली बार")


class GuidelinePageTests(StoreTestCase):
    def test_the_page_is_served_in_english_hindi_and_tamil(self) -> None:
        url = "/kids/shop/products/carewatch-swim-4g/guidelines/"
        self.assertContains(self.client.get(url), "rinse the watch in fresh water")
        self.client.cookies["django_language"] = "hi"
        self.assertContains(self.client.get(url), "साफ़ पानी से धोएँ")
        self.client.cookies["django_language"] = "ta"
        self.assertContains(self.client.get(url), "நல்ல நீரில் கழுவி")

    def test_the_product_page_links_to_its_guidelines(self) -> None:
        page = self.client.get("/kids/shop/products/carewatch-junior/")
        self.assertContains(page, "/kids/shop/products/carewatch-junior/guidelines/")
        strap = self.client.get("/kids/shop/products/soft-strap/guidelines/")
        self.assertEqual(strap.status_code, 404)

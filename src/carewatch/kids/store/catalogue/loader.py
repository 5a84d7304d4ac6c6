"""The starter catalogue: five trackers and six accessories, each with the trackers it fits.

Idempotent.

Called by `carewatch demo` (carewatch.demo.load_demo_data) and by tests. Prices are
in rupees and include GST.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from carewatch.kids.store.catalogue.models import Category, Kind, Product

CATEGORIES = [("trackers", "Trackers", 0), ("accessories", "Accessories", 1)]

TRACKERS: list[dict[str, Any]] = [
    {
        "slug": "carewatch-tag",
        "name": "CareWatch Tag",
        "illustration": "clip",
        "summary": "A clip-on tag for the school bag: a week per charge, no screen.",
        "price": "2499",
        "stock": 40,
        "gps": True,
        "wifi": True,
        "lte": True,
        "battery_hours": 168,
        "water_rating": "IP67",
        "sos_button": True,
        "min_age": 3,
        "max_age": 16,
    },
    {
        "slug": "carewatch-junior",
        "name": "CareWatch Junior",
        "illustration": "watch-round",
        "summary": "A first watch for little ones: location at home, school and the park.",
        "price": "2999",
        "stock": 25,
        "gps": True,
        "wifi": True,
        "battery_hours": 48,
        "water_rating": "IP54",
        "sos_button": True,
        "school_mode": True,
        "min_age": 4,
        "max_age": 8,
    },
    {
        "slug": "carewatch-junior-4g",
        "name": "CareWatch Junior 4G",
        "illustration": "watch-round",
        "summary": "Calls to and from up to ten family numbers, location everywhere over 4G.",
        "price": "5499",
        "stock": 30,
        "gps": True,
        "wifi": True,
        "lte": True,
        "battery_hours": 36,
        "water_rating": "IP67",
        "sos_button": True,
        "calling": True,
        "school_mode": True,
        "min_age": 5,
        "max_age": 10,
    },
    {
        "slug": "carewatch-swim-4g",
        "name": "CareWatch Swim 4G",
        "illustration": "watch-square",
        "summary": "Swim-proof (IP68) 4G watch with calling and a two-day battery.",
        "price": "6999",
        "stock": 15,
        "gps": True,
        "wifi": True,
        "lte": True,
        "battery_hours": 48,
        "water_rating": "IP68",
        "sos_button": True,
        "calling": True,
        "school_mode": True,
        "min_age": 6,
        "max_age": 12,
    },
    {
        "slug": "carewatch-teen",
        "name": "CareWatch Teen",
        "illustration": "watch-square",
        "summary": "A grown-up look for older children, three days per charge.",
        "price": "8499",
        "stock": 10,
        "gps": True,
        "wifi": True,
        "lte": True,
        "battery_hours": 72,
        "water_rating": "IP68",
        "sos_button": True,
        "calling": True,
        "school_mode": True,
        "min_age": 10,
        "max_age": 16,
    },
]

ROUND = ["carewatch-junior", "carewatch-junior-4g"]
SQUARE = ["carewatch-swim-4g", "carewatch-teen"]
WATCHES = ROUND + SQUARE
LTE = ["carewatch-tag", "carewatch-junior-4g", "carewatch-swim-4g", "carewatch-teen"]

ACCESSORIES: list[dict[str, Any]] = [
    {
        "slug": "soft-strap",
        "name": "Soft silicone strap",
        "illustration": "strap",
        "summary": "A spare strap in teal for the round watches.",
        "price": "399",
        "stock": 100,
        "fits": ROUND,
    },
    {
        "slug": "magnetic-charger",
        "name": "Magnetic charging cable",
        "illustration": "charger",
        "summary": "A second cable for grandma's house; 1 metre, USB-A.",
        "price": "499",
        "stock": 80,
        "fits": WATCHES,
    },
    {
        "slug": "tag-holder",
        "name": "Tag holder for shoes",
        "illustration": "strap",
        "summary": "Hides the CareWatch Tag in a shoe's laces.",
        "price": "299",
        "stock": 60,
        "fits": ["carewatch-tag"],
    },
    {
        "slug": "sport-strap-square",
        "name": "Sport strap for square watches",
        "illustration": "strap",
        "summary": "A breathable strap in navy for the Swim 4G and the Teen; dries fast.",
        "price": "599",
        "stock": 50,
        "fits": SQUARE,
    },
    {
        "slug": "sim-plan-12",
        "name": "4G SIM plan, 12 months",
        "illustration": "sim",
        "summary": "A data and calling SIM for a 4G tracker: a year of location and calls.",
        "price": "1999",
        "stock": 200,
        "fits": LTE,
    },
    {
        "slug": "travel-charger",
        "name": "Travel charger for the Tag",
        "illustration": "charger",
        "summary": "A small USB-C wall charger with the Tag's cradle.",
        "price": "349",
        "stock": 40,
        "fits": ["carewatch-tag"],
    },
]


def load_catalogue() -> int:
    """Creates or refreshes the starter products; returns how many there are."""
    categories = {
        slug: Category.objects.update_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )[0]
        for slug, name, position in CATEGORIES
    }
    rows = [(row, Kind.TRACKER, "trackers") for row in TRACKERS]
    rows += [(row, Kind.ACCESSORY, "accessories") for row in ACCESSORIES]
    for position, (row, kind, category) in enumerate(rows):
        fields = {**row, "kind": kind, "category": categories[category], "position": position}
        fields["price"] = Decimal(fields["price"])
        slug = fields.pop("slug")
        stock = fields.pop("stock")
        fits = fields.pop("fits", [])
        product, _ = Product.objects.update_or_create(
            slug=slug, defaults=fields, create_defaults={**fields, "stock": stock}
        )
        product.fits.set(Product.objects.filter(slug__in=fits))
    return len(rows)

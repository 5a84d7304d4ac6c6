"""Readies CareWatch's side of bench/store_bench.py in its temporary DATA_DIR.

What an operator does before `carewatch serve` in production (README, "How it scales
out"): migrate and collect the static files; then the demo catalogue, as `carewatch
demo` loads it. Prints the catalogue as one JSON object, which the oscar side loads so
both shops hold the same categories and products.
"""

import json

from carewatch.cli import setup_django

setup_django()

from django.core.management import call_command  # noqa: E402 - after setup_django()

from carewatch.kids.store.catalogue.loader import load_catalogue  # noqa: E402
from carewatch.kids.store.catalogue.models import Category, Product  # noqa: E402
from carewatch.kids.store.recommend.build import refresh as refresh_recommendations  # noqa: E402

call_command("migrate", interactive=False, verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
load_catalogue()
refresh_recommendations()  # the related products the product page shows, as the demo has them
catalogue = {
    "categories": [{"slug": c.slug, "name": c.name} for c in Category.objects.all()],
    "products": [
        {
            "slug": p.slug,
            "name": p.name,
            "summary": p.summary,
            "kind": p.kind,
            "category": p.category.slug,
            "price": str(p.price),
            "stock": p.stock,
        }
        for p in Product.objects.listed()
    ],
}
print(json.dumps(catalogue))

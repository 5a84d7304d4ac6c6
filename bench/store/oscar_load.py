"""Loads CareWatch's demo catalogue (as JSON on stdin) into the throwaway oscar shop.

Same size and shape on both sides: the same categories, the same products with the
same names, summaries, prices and stock, no images. Runs inside the benchmark's
oscar virtualenv with DJANGO_SETTINGS_MODULE=oscar_settings, after migrate.
"""

import json
import sys
from decimal import Decimal

import django

django.setup()

from django.contrib.sites.models import Site  # noqa: E402 - after django.setup()
from oscar.apps.catalogue.models import (  # noqa: E402
    Category,
    Product,
    ProductCategory,
    ProductClass,
)
from oscar.apps.partner.models import Partner, StockRecord  # noqa: E402

catalogue = json.load(sys.stdin)
Site.objects.update_or_create(pk=1, defaults={"domain": "127.0.0.1", "name": "bench"})
kinds = {
    kind: ProductClass.objects.create(name=kind.title(), slug=kind, track_stock=True)
    for kind in {p["kind"] for p in catalogue["products"]}
}
categories = {
    c["slug"]: Category.add_root(name=c["name"], slug=c["slug"]) for c in catalogue["categories"]
}
partner = Partner.objects.create(name="CareWatch", code="carewatch")
for row in catalogue["products"]:
    product = Product.objects.create(
        title=row["name"],
        slug=row["slug"],
        description=row["summary"],
        product_class=kinds[row["kind"]],
        structure=Product.STANDALONE,
    )
    ProductCategory.objects.create(product=product, category=categories[row["category"]])
    StockRecord.objects.create(
        product=product,
        partner=partner,
        partner_sku=row["slug"],
        price_currency="INR",
        price=Decimal(row["price"]),
        num_in_stock=row["stock"],
    )
urls = {product.slug: product.get_absolute_url() for product in Product.objects.all()}
print(json.dumps({"products": len(urls), "categories": Category.objects.count(), "urls": urls}))

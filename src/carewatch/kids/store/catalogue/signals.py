"""Publishing a product: staff put a new product on sale and the shop tells whoever asked
to hear about new products (mailing listens; the catalogue does not know who)."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

from carewatch.kids.store.catalogue.models import Product

# Sent after the commit that put the product on sale; `product` is the Product.
product_published = Signal()


def do_publish(product: Product) -> Product:
    """Puts `product` on sale and announces it. Publishing again announces nothing new:
    each subscriber hears about a product once (see mailing.announce)."""
    with transaction.atomic():
        Product.objects.filter(pk=product.pk).update(is_active=True)
        product.is_active = True
        transaction.on_commit(
            lambda: product_published.send(sender=Product, product=product), robust=True
        )
    return product

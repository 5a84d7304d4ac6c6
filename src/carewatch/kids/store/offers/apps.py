from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "carewatch.kids.store.offers"
    label = "offers"
    verbose_name = "Kids store: coupons and offers"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from carewatch.kids.store.offers.signals import on_order_event
        from carewatch.kids.store.orders.models import OrderEvent

        post_save.connect(on_order_event, sender=OrderEvent, dispatch_uid="store_offers_delivered")

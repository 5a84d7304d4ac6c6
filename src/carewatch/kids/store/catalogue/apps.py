from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "carewatch.kids.store.catalogue"
    label = "catalogue"
    verbose_name = "Kids store: catalogue"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from carewatch.kids.store.catalogue import pagecache
        from carewatch.kids.store.catalogue.models import Category, Product

        # A staff edit shows on the cached list at once (see pagecache.list_stamp).
        for model in (Product, Category):
            for signal in (post_save, post_delete):
                signal.connect(pagecache.forget_list_stamp, sender=model, weak=False)

from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "carewatch.kids.store.catalogue"
    label = "catalogue"
    verbose_name = "Kids store: catalogue"

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from carewatch.kids.store.catalogue import pagecache

        # Staff edits and new reviews show on the stored pages at once (see pagecache).
        for label in pagecache.WATCHED_APPS:
            if not apps.is_installed(f"carewatch.kids.store.{label}"):
                continue
            for model in apps.get_app_config(label).get_models():
                for signal in (post_save, post_delete):
                    signal.connect(pagecache.new_generation, sender=model, weak=False)

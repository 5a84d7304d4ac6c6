from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "carewatch.kids.store.catalogue"
    label = "catalogue"
    verbose_name = "Kids store: catalogue"

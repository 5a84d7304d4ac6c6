from django.apps import AppConfig


class RecommendConfig(AppConfig):
    name = "carewatch.kids.store.recommend"
    label = "recommend"
    verbose_name = "Kids store: related products and recommendations"

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "carewatch.kids.store.reviews"
    label = "reviews"
    verbose_name = "Kids store: reviews and questions"

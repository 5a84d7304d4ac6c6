from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "carewatch.kids.store.reviews"
    label = "reviews"
    verbose_name = "Kids store: reviews and questions"

    def ready(self) -> None:
        from carewatch.kids.store.reviews.actions import publish_first_answer
        from carewatch.platform.support.signals import thread_answered

        thread_answered.connect(publish_first_answer, dispatch_uid="reviews_publish_answer")

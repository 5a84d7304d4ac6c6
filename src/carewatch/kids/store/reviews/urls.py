"""Included into the store's namespace (store:review_write, store:ask, ...)."""

from django.urls import path

from carewatch.kids.store.reviews import views

urlpatterns = [
    path("products/<slug:slug>/review/<str:token>/", views.write_review, name="review_write"),
    path("products/<slug:slug>/reviews/", views.all_reviews, name="reviews"),
    path("products/<slug:slug>/questions/", views.ask, name="ask"),
    path("reviews/<int:review_id>/helpful/", views.helpful, name="review_helpful"),
    path("staff/questions/", views.staff_questions, name="staff_questions"),
    path("staff/questions/<int:question_id>/", views.staff_answer, name="staff_answer"),
]

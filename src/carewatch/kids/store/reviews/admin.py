from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from carewatch.kids.store.catalogue import pagecache
from carewatch.kids.store.reviews import actions
from carewatch.kids.store.reviews.models import Question, Review, ReviewStatus
from carewatch.platform.accounts.permissions import signed_in


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Held reviews (a link or a phone number in them) wait here for a person."""

    list_display = ["title", "product", "rating", "status", "held_because", "created"]
    list_filter = ["status", "rating", "product"]
    search_fields = ["title", "text", "author_name"]
    readonly_fields = ["product", "line", "helpful_count", "language", "created"]
    actions = ["publish", "hide"]

    @admin.action(description=_("Publish the selected reviews"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        queryset.update(status=ReviewStatus.PUBLISHED)
        pagecache.new_generation()  # an update sends no signal: the product pages show it now

    @admin.action(description=_("Hide the selected reviews"))
    def hide(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        queryset.update(status=ReviewStatus.HIDDEN)
        pagecache.new_generation()


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """Writing an answer here publishes the question and e-mails the asker, once."""

    list_display = ["text", "product", "email", "answered_at", "hidden", "created"]
    list_filter = ["hidden", ("answered_at", admin.EmptyFieldListFilter), "product"]
    search_fields = ["text", "email", "answer"]
    readonly_fields = ["product", "user", "email", "text", "language", "answered_by"]
    readonly_fields += ["answered_at", "created"]

    def save_model(self, request: HttpRequest, obj: Question, form: Any, change: bool) -> None:
        if obj.answer and "answer" in form.changed_data:
            actions.do_answer(obj, obj.answer, signed_in(request).user)
        else:
            super().save_model(request, obj, form, change)

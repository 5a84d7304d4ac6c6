from django.contrib import admin
from django.http import HttpRequest

from carewatch.kids.store.mailing.models import Subscriber


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Staff see who asked; only the subscriber's own links and choices change it."""

    list_display = ["email", "status", "language", "created", "confirmed_at"]
    list_filter = ["status", "language"]
    search_fields = ["email"]
    readonly_fields = ["email", "user", "status", "created", "confirmed_at", "unsubscribed_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

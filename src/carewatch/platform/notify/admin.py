from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from carewatch.platform.notify.models import Attempt, Channel, Notification


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "owner", "disabled", "created", "last_notified"]
    list_filter = ["kind", "disabled"]
    search_fields = ["name", "owner__email"]
    raw_id_fields = ["owner"]


class AttemptInline(admin.TabularInline):
    model = Attempt
    extra = 0
    can_delete = False
    readonly_fields = ["number", "started", "finished", "ok", "error", "permanent"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "recipient", "topic", "event", "status", "created"]
    list_filter = ["status", "kind", "event"]
    search_fields = ["subject", "channel__owner__email", "address", "topic", "code"]
    raw_id_fields = ["channel"]
    readonly_fields = ["code", "created", "sent_at"]
    inlines = [AttemptInline]


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    """Attempts are the record of what happened: nobody edits them."""

    list_display = ["notification", "number", "started", "finished", "ok", "permanent"]
    list_filter = ["ok", "permanent"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

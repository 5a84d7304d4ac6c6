from django.contrib import admin

from carewatch.platform.support.models import Message, Thread


class MessageInline(admin.TabularInline):
    model = Message
    fields = ["created", "author", "via", "staff", "text"]
    readonly_fields = ["created", "author", "via", "staff", "text"]
    extra = 0
    can_delete = False


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    """For looking things up; staff answer in the inbox (/support/inbox/), which sends."""

    list_display = ["subject", "kind", "status", "language", "created", "first_answer_at"]
    list_filter = ["kind", "status", "language"]
    search_fields = ["subject", "email", "phone", "messages__text"]
    readonly_fields = [
        *["kind", "user", "email", "phone", "language", "page", "subject", "status"],
        *["created", "updated", "waiting_since", "first_answer_at"],
    ]
    inlines = [MessageInline]

    def has_add_permission(self, request: object) -> bool:
        return False

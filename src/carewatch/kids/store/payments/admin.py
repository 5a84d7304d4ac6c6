from django.contrib import admin

from carewatch.kids.store.payments.models import Payment, WebhookEvent


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["order", "brand", "last4", "amount", "status", "created"]
    readonly_fields = [f.name for f in Payment._meta.fields]


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "type", "received"]
    readonly_fields = [f.name for f in WebhookEvent._meta.fields]

from django.contrib import admin

from carewatch.kids.store.orders.models import Order, OrderEvent, OrderLine


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    exclude = ["pairing_code"]
    readonly_fields = ["product", "product_name", "unit_price", "quantity", "device"]


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    readonly_fields = ["status", "note", "created"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "status", "total", "delivery_date", "created"]
    list_filter = ["status", "delivery_date"]
    search_fields = ["number", "email", "name"]
    inlines = [OrderLineInline, OrderEventInline]
    exclude = ["checkout_key"]

from django.contrib import admin
from django.http import HttpRequest

from carewatch.kids.store.offers.models import Coupon, OrderDiscount


@admin.register(Coupon)
class CouponAdmin(admin.ModelAdmin):
    list_display = ["code", "description", "kind", "value", "valid_until", "uses", "active"]
    list_filter = ["kind", "active", "offer", "segment", "applies_to"]
    search_fields = ["code", "description", "customer__email"]
    readonly_fields = ["uses", "created"]
    raw_id_fields = ["customer"]


@admin.register(OrderDiscount)
class OrderDiscountAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "description", "amount", "created"]
    search_fields = ["code", "order__number", "email"]
    readonly_fields = [f.name for f in OrderDiscount._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

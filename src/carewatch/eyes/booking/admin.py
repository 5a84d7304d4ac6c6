from django.contrib import admin

from carewatch.eyes.booking.models import Booking, Centre, OpeningHours


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ["clinic", "city", "pincode", "public", "price_rupees"]
    list_filter = ["public", "city"]
    search_fields = ["clinic__name", "city", "pincode"]
    inlines = [OpeningHoursInline]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["reference", "centre", "start", "status", "walk_in"]
    list_filter = ["status", "walk_in", "centre"]
    search_fields = ["reference", "name", "phone", "email"]
    # The token is the patient's private key to the booking: staff never need to see it.
    exclude = ["token"]
    readonly_fields = ["reference", "seat", "reminded_for", "created"]

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from carewatch.platform.accounts.models import (
    Clinic,
    ClinicMembership,
    Family,
    FamilyInvite,
    FamilyMembership,
    User,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal", {"fields": ("first_name", "last_name", "phone", "language")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class FamilyMembershipInline(admin.TabularInline):
    model = FamilyMembership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Family)
class FamilyAdmin(admin.ModelAdmin):
    inlines = [FamilyMembershipInline]
    search_fields = ("name",)


class ClinicMembershipInline(admin.TabularInline):
    model = ClinicMembership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    inlines = [ClinicMembershipInline]
    prepopulated_fields = {"slug": ("name",)}
    list_display = ("name", "city")


admin.site.register(FamilyInvite, list_display=("email", "family", "created", "accepted_at"))

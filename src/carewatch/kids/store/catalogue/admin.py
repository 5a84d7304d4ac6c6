from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from carewatch.kids.store.catalogue.models import Category, Product
from carewatch.kids.store.catalogue.signals import do_publish


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "category", "price", "stock", "is_active"]
    list_editable = ["price", "stock", "is_active"]
    list_filter = ["kind", "category", "is_active", "lte", "water_rating"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["category"]
    filter_horizontal = ["fits"]
    actions = ["publish"]

    @admin.action(description=_("Put on sale and e-mail the new-product subscribers"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Product]) -> None:
        products = list(queryset)
        for product in products:
            do_publish(product)
        count = len(products)
        self.message_user(
            request,
            ngettext(
                "%(count)d product is on sale; its e-mail goes out from the task queue.",
                "%(count)d products are on sale; their e-mails go out from the task queue.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

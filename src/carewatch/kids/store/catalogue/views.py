"""Catalogue pages: the list with search and filters, a product, comparison, the guide."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carewatch.kids.store.catalogue import pagecache
from carewatch.kids.store.catalogue.forms import FilterForm, GuideForm
from carewatch.kids.store.catalogue.guidelines import guidelines
from carewatch.kids.store.catalogue.models import Category, Kind, Product
from carewatch.kids.store.catalogue.scoring import Need, recommend
from carewatch.kids.store.recommend import read

COMPARE_MIN, COMPARE_MAX = 2, 4
BODY_FRESH_S = 60
REASONS = {
    "age": gettext_lazy("Made for this age"),
    "school": gettext_lazy("School mode keeps it quiet in class"),
    "calling": gettext_lazy("Calls over 4G"),
    "swimming": gettext_lazy("Swim-proof (IP68)"),
    "outdoors": gettext_lazy("4G and a long battery for days out"),
    "budget": gettext_lazy("Low price"),
    "sos": gettext_lazy("SOS button"),
}


def product_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    products: QuerySet[Product] = Product.objects.listed()
    if form.is_valid():
        products = filter_products(products, form.cleaned_data)
    context = {"form": form, "products": products, "categories": Category.objects.all()}

    def page() -> HttpResponse:
        rows = list(products)
        # The cards are kept as one fragment keyed by the rows just read (never stale).
        grid_key = pagecache.fragment_key(pagecache.digest(rows))
        return render(
            request, "catalogue/list.html", context | {"products": rows, "grid_key": grid_key}
        )

    # Filtered lists vary too much to be worth storing.
    return page() if request.GET else pagecache.serve(request, "list", page)


def filter_products(products: QuerySet[Product], data: dict) -> QuerySet[Product]:
    if data.get("q"):
        products = products.filter(Q(name__icontains=data["q"]) | Q(summary__icontains=data["q"]))
    if data.get("connectivity"):
        products = products.filter(**{data["connectivity"]: True})
    if data.get("max_price") is not None:
        products = products.filter(price__lte=data["max_price"])
    if data.get("in_stock"):
        products = products.filter(stock__gt=0)
    return products


def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The layout is rendered for every visitor with a session; the product's part is one
    stored fragment keyed by everything it shows (see product_body)."""

    def page() -> HttpResponse:
        signed_in = request.user.is_authenticated
        product = listed_product(slug, fresh=signed_in)
        read.record_view(request, product)
        return render(
            request,
            "catalogue/product.html",
            {"product": product, "body": product_body(request, product)},
        )

    return pagecache.serve(request, "product", page)


def product_body(request: HttpRequest, product: Product) -> str:
    """Keyed by the product's row (a stock or price change), the catalogue generation (a
    staff edit, a review or answer, new related rows), the language and the visitor's
    e-mail (the question form's initial value; empty when not signed in). A related
    product that sells out shows for at most BODY_FRESH_S."""
    user = request.user
    email = user.email if user.is_authenticated else ""
    language = translation.get_language() or ""
    digest = pagecache.digest([product])
    key = pagecache.fragment_key("product-body", digest, pagecache.generation(), language, email)
    context = {"product": product, "fragment_key": pagecache.fragment_key(digest)}

    def body() -> str:
        return render_to_string("catalogue/_product_body.html", context, request)

    return pagecache.fragment(request, key, BODY_FRESH_S, body)


def listed_product(slug: str, fresh: bool = False) -> Product:
    """The product's row, kept FRESH_S seconds within a catalogue generation for visitors
    who are not signed in: a staff edit shows at once, a stock change made by checkout
    within FRESH_S (as on stored pages). Signed-in customers always read it afresh."""
    key = pagecache.fragment_key("product-row", slug, pagecache.generation())
    product = None if fresh else cache.get(key)
    if product is None:
        product = get_object_or_404(Product.objects.listed(), slug=slug)
        cache.set(key, product, pagecache.FRESH_S)
    return product


def product_guidelines(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(Product.objects.listed().filter(kind=Kind.TRACKER), slug=slug)
    steps = guidelines(product.spec(), translation.get_language() or "en")
    return render(request, "catalogue/guidelines.html", {"product": product, "steps": steps})


def compare(request: HttpRequest) -> HttpResponse:
    slugs = list(dict.fromkeys(request.GET.getlist("p")))[:COMPARE_MAX]
    by_slug = {p.slug: p for p in Product.objects.listed().filter(slug__in=slugs)}
    products = [by_slug[slug] for slug in slugs if slug in by_slug]
    error = ""
    if len(products) < COMPARE_MIN:
        error = _("Choose two to four trackers to compare, then press Compare.")
    trackers = Product.objects.listed().filter(kind=Kind.TRACKER)
    context = {"products": products, "error": error, "trackers": trackers, "chosen": slugs}
    return render(request, "catalogue/compare.html", context)


def guide(request: HttpRequest) -> HttpResponse:
    form = GuideForm(request.GET or None)
    picks: list[tuple[Product, list[str]]] = []
    if form.is_valid():
        trackers = {p.slug: p for p in Product.objects.listed().filter(kind=Kind.TRACKER)}
        need = Need(form.cleaned_data["age"], frozenset(form.cleaned_data["uses"]))
        specs = [p.spec() for p in trackers.values()]
        picks = [
            (trackers[r.spec.slug], [str(REASONS[x]) for x in r.reasons])
            for r in recommend(specs, need)
        ]
    return render(request, "catalogue/guide.html", {"form": form, "picks": picks})

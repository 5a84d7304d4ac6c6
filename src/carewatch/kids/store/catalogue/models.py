from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carewatch.kids.store.catalogue.scoring import Spec


class Category(models.Model):
    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class Kind(models.TextChoices):
    TRACKER = "tracker", _("Tracker")
    ACCESSORY = "accessory", _("Accessory")


class WaterRating(models.TextChoices):
    NONE = "", _("Not water resistant")
    IP54 = "IP54", _("IP54: splashes")
    IP67 = "IP67", _("IP67: rain and a short dip")
    IP68 = "IP68", _("IP68: swimming")


# The drawings shipped in static/catalogue/img/; staff pick one per product.
ILLUSTRATIONS = [
    ("watch-round", _("Round watch")),
    ("watch-square", _("Square watch")),
    ("clip", _("Clip-on tag")),
    ("strap", _("Strap")),
    ("charger", _("Charger")),
    ("sim", _("SIM card")),
]


class ProductQuerySet(models.QuerySet["Product"]):
    def listed(self) -> ProductQuerySet:
        return self.filter(is_active=True).select_related("category")


class Product(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TRACKER)
    category = models.ForeignKey(
        Category, models.PROTECT, related_name="products", verbose_name=_("category")
    )
    summary = models.CharField(_("summary"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    illustration = models.CharField(
        _("illustration"), max_length=20, choices=ILLUSTRATIONS, default="watch-round"
    )
    price = models.DecimalField(_("price (INR)"), max_digits=9, decimal_places=2)
    stock = models.PositiveIntegerField(_("in stock"), default=0)
    is_active = models.BooleanField(_("on sale"), default=True)
    gps = models.BooleanField("GPS", default=False)
    wifi = models.BooleanField("Wi-Fi", default=False)
    lte = models.BooleanField("LTE", default=False)
    battery_hours = models.PositiveSmallIntegerField(_("battery life (hours)"), default=0)
    water_rating = models.CharField(
        _("water resistance"), max_length=4, choices=WaterRating.choices, blank=True
    )
    sos_button = models.BooleanField(_("SOS button"), default=False)
    calling = models.BooleanField(_("calling"), default=False)
    school_mode = models.BooleanField(_("school mode"), default=False)
    min_age = models.PositiveSmallIntegerField(_("from age"), default=0)
    max_age = models.PositiveSmallIntegerField(_("to age"), default=99)
    position = models.PositiveSmallIntegerField(default=0)
    # An accessory names the trackers it fits (a strap, a charger, a SIM plan for 4G);
    # one that fits nothing named fits every tracker. Related products and
    # recommendations put fitting accessories first.
    fits = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="accessories",
        limit_choices_to={"kind": Kind.TRACKER},
        verbose_name=_("fits"),
    )

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["position", "price"]
        verbose_name = _("product")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("store:product", args=[self.slug])

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    @property
    def is_tracker(self) -> bool:
        return self.kind == Kind.TRACKER

    @property
    def illustration_path(self) -> str:
        return f"catalogue/img/{self.illustration}.svg"

    @property
    def connectivity(self) -> list[str]:
        return [
            name for name, on in (("GPS", self.gps), ("Wi-Fi", self.wifi), ("LTE", self.lte)) if on
        ]

    def spec(self) -> Spec:
        return Spec(
            slug=self.slug,
            name=self.name,
            price=Decimal(self.price),
            gps=self.gps,
            wifi=self.wifi,
            lte=self.lte,
            battery_hours=self.battery_hours,
            water_rating=self.water_rating,
            sos_button=self.sos_button,
            calling=self.calling,
            school_mode=self.school_mode,
            min_age=self.min_age,
            max_age=self.max_age,
            in_stock=self.in_stock,
        )

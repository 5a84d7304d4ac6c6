from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.orders.models import OrderLine
from carewatch.platform.support.models import Thread

MAX_TEXT = 2000
MAX_QUESTION = 500


class AgeGroup(models.TextChoices):
    UNDER_5 = "3-5", _("3 to 5 years")
    YOUNG = "6-8", _("6 to 8 years")
    MIDDLE = "9-11", _("9 to 11 years")
    OLDER = "12+", _("12 years or older")


class ReviewStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    HELD = "held", _("Held for moderation")
    HIDDEN = "hidden", _("Hidden by staff")


class ReviewQuerySet(models.QuerySet["Review"]):
    def published(self) -> ReviewQuerySet:
        return self.filter(status=ReviewStatus.PUBLISHED)


class Review(models.Model):
    """One review per order line: only a buyer whose order was delivered can write one."""

    product = models.ForeignKey(Product, models.CASCADE, related_name="reviews")
    # SET_NULL keeps the words when an order is erased; the review then stops being
    # shown as a verified purchase.
    line = models.OneToOneField(
        OrderLine, models.SET_NULL, null=True, blank=True, related_name="review"
    )
    author_name = models.CharField(_("shown as"), max_length=60)
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("review"), max_length=MAX_TEXT)
    age_group = models.CharField(
        _("child's age"), max_length=4, choices=AgeGroup.choices, blank=True
    )
    language = models.CharField(max_length=10, default="en")
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PUBLISHED
    )
    held_because = models.CharField(_("held because"), max_length=40, blank=True)
    helpful_count = models.PositiveIntegerField(_("found helpful"), default=0)
    created = models.DateTimeField(default=timezone.now)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("review")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="rating_1_to_5"
            )
        ]
        indexes = [models.Index(fields=["product", "status", "-created"])]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.title}"

    @property
    def verified(self) -> bool:
        return self.line_id is not None


class HelpfulVote(models.Model):
    """One "helpful" per review and voter (an account, or a browser session)."""

    review = models.ForeignKey(Review, models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "voter"], name="one_vote_each")]

    def __str__(self) -> str:
        return f"{self.voter} on {self.review_id}"


class QuestionQuerySet(models.QuerySet["Question"]):
    def public(self) -> QuestionQuerySet:
        return self.exclude(answer="").filter(hidden=False)


class Question(models.Model):
    """What the product page publishes: the question and its public answer (staff may
    edit it). The conversation itself, with the asker's replies and every staff answer,
    is the support Thread, answered from the staff inbox like every other thread."""

    product = models.ForeignKey(Product, models.CASCADE, related_name="questions")
    # Deleting the conversation (the asker's right) takes the published question with it.
    thread = models.OneToOneField(
        Thread, models.CASCADE, null=True, blank=True, related_name="question"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(_("e-mail"))
    text = models.TextField(_("question"), max_length=MAX_QUESTION)
    # The answer e-mail goes out in the language the question was asked in.
    language = models.CharField(max_length=10, default="en")
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    hidden = models.BooleanField(_("hidden"), default=False)
    created = models.DateTimeField(default=timezone.now)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("question")
        indexes = [models.Index(fields=["product", "-answered_at"])]

    def __str__(self) -> str:
        return self.text[:60]

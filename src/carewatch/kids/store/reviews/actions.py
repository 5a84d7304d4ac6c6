"""State changes for reviews and questions: each checks, writes, and sends after commit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from carewatch.kids.store.catalogue import pagecache
from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.orders.models import OrderLine
from carewatch.kids.store.reviews.models import HelpfulVote, Question, Review, ReviewStatus
from carewatch.kids.store.reviews.moderation import hold_reasons
from carewatch.platform.accounts.models import User
from carewatch.platform.notify import direct, sending


def shown_name(full_name: str) -> str:
    """ "Priya Sharma" is shown as "Priya S.": enough to be a person, not enough to find."""
    parts = full_name.split()
    if not parts:
        return _("A parent")
    initial = f" {parts[-1][0]}." if len(parts) > 1 else ""
    return f"{parts[0][:40]}{initial}"


def do_write_review(line: OrderLine, data: dict[str, Any], language: str) -> Review | None:
    """None when this line already has a review (one review per order line)."""
    reasons = hold_reasons(data["title"], data["text"])
    review = Review(
        product=line.product,
        line=line,
        author_name=shown_name(line.order.name),
        rating=data["rating"],
        title=data["title"],
        text=data["text"],
        age_group=data.get("age_group") or "",
        language=language,
        status=ReviewStatus.HELD if reasons else ReviewStatus.PUBLISHED,
        held_because=", ".join(reasons),
    )
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:  # a second tab or a double click got there first
        return None
    return review


def do_vote(review: Review, voter: str) -> bool:
    """Counts a voter once; True when this vote was new."""
    try:
        with transaction.atomic():
            HelpfulVote.objects.create(review=review, voter=voter)
            Review.objects.filter(pk=review.pk).update(helpful_count=F("helpful_count") + 1)
            # The count is shown in cached fragments: a new generation once it is stored.
            transaction.on_commit(pagecache.new_generation)
    except IntegrityError:
        return False
    return True


def do_ask(
    product: Product, user: User | AnonymousUser, email: str, text: str, language: str
) -> Question:
    owner = user if isinstance(user, User) else None
    return Question.objects.create(
        product=product, user=owner, email=email, text=text, language=language
    )


def do_answer(question: Question, answer: str, by: User) -> bool:
    """Saves the answer, which publishes the question; the first answer is e-mailed to
    the asker. Returns True when that e-mail was sent (an edit sends nothing)."""
    first = question.answered_at is None
    with transaction.atomic():
        question.answer = answer
        question.answered_by = by
        question.answered_at = question.answered_at or timezone.now()
        question.save()
        if first:
            tell_asker(question)
    return first


def tell_asker(question: Question) -> None:
    """In the language of the question. An account holder hears through their channels
    (the inbox at least); the address given with the question gets the e-mail unless
    the account already has a confirmed e-mail channel."""
    with translation.override(question.language):
        subject = _("Your question about %(product)s is answered") % {
            "product": question.product.name
        }
        context = {"question": question, "site_url": settings.SITE_URL}
        text = render_to_string("reviews/email/answer.txt", context)
        html = render_to_string("reviews/email/answer.html", context)
    user = question.user
    if user is not None and user.is_active:
        url = question.product.get_absolute_url() + "#questions"
        sending.send(
            user,
            subject,
            text,
            html=html,
            url=url,
            event="store.question_answered",
            topic=direct.topic(question),
        )
        channels = user.notify_channels.filter(kind="email", verified=True, disabled=False)
        if channels.exists():
            return
    about = direct.topic(question)
    direct.send_email(
        question.email, subject, text, html, about=about, event="store.question_answered"
    )

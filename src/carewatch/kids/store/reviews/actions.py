"""State changes for reviews and questions: each checks, writes, and sends after commit."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from carewatch.kids.store.catalogue import pagecache
from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.orders.models import OrderLine
from carewatch.kids.store.reviews.models import HelpfulVote, Question, Review, ReviewStatus
from carewatch.kids.store.reviews.moderation import hold_reasons
from carewatch.platform.accounts.models import User
from carewatch.platform.support import actions as support
from carewatch.platform.support.models import Author, Kind, Message, Thread


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
    """The question becomes a thread in the staff inbox, and the page's record of it."""
    with transaction.atomic():
        thread = open_question_thread(product, user, email, text, language)
        owner = user if isinstance(user, User) else None
        return Question.objects.create(
            product=product, thread=thread, user=owner, email=email, text=text, language=language
        )


def open_question_thread(
    product: Product, user: User | AnonymousUser | None, email: str, text: str, language: str
) -> Thread:
    return support.open_thread(
        Kind.QUESTION,
        user=user,
        email=email,
        lang=language,
        page=product.get_absolute_url(),
        subject=product.name,
        messages=[(Author.USER, text)],
    )


def do_answer(question: Question, answer: str, by: User) -> bool:
    """Saves the answer, which publishes the question; the first answer goes into the
    thread, which tells the asker (support.answer). Returns True then (an edit of the
    published answer tells nobody)."""
    first = question.answered_at is None
    with transaction.atomic():
        question.answer = answer
        question.answered_by = by
        question.answered_at = question.answered_at or timezone.now()
        if question.thread is None:  # asked before the inbox existed and not migrated
            args = (question.product, question.user, question.email, question.text)
            question.thread = open_question_thread(*args, question.language)
        question.save()
        if first:
            support.answer(question.thread, by, answer)
    return first


def publish_first_answer(thread: Thread, message: Message, first: bool, **kwargs: Any) -> None:
    """An answer written in the staff inbox publishes the question like one written on
    the shop's own page (connected in apps.py)."""
    if first and thread.kind == Kind.QUESTION:
        unanswered = Question.objects.filter(thread=thread, answered_at=None)
        unanswered.update(
            answer=message.text, answered_by=message.staff, answered_at=message.created
        )

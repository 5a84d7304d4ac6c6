"""Review form (from the signed e-mail link), all reviews, "helpful" votes, questions,
and the staff page that answers them."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.reviews import actions
from carewatch.kids.store.reviews.forms import AnswerForm, QuestionForm, ReviewForm
from carewatch.kids.store.reviews.models import Question, Review
from carewatch.kids.store.reviews.tokens import line_for
from carewatch.platform.accounts.admin_site import staff_required
from carewatch.platform.accounts.permissions import signed_in

PER_PAGE = 10
QUESTIONS_PER_HOUR = 5  # from one address or one e-mail: enough for a curious parent


def write_review(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    line = line_for(token, slug)
    if line is None:
        return render(request, "reviews/bad_link.html", status=404)
    if hasattr(line, "review"):
        return render(request, "reviews/done.html", {"product": line.product}, status=409)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        language = translation.get_language() or "en"
        review = actions.do_write_review(line, form.cleaned_data, language)
        if review is None:
            return render(request, "reviews/done.html", {"product": line.product}, status=409)
        messages.success(request, thank_you(review))
        return redirect(f"{line.product.get_absolute_url()}#reviews")  # type: ignore[union-attr]
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "product": line.product, "order": line.order}
    return render(request, "reviews/write.html", context, status=status)


def thank_you(review: Review) -> str:
    if review.held_because:
        return _(
            "Thank you. Your review has a link or a phone number in it, so a person reads it "
            "before it appears (usually within a day)."
        )
    return _("Thank you. Your review is on the page now.")


def all_reviews(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(Product.objects.listed(), slug=slug)
    reviews = Review.objects.published().filter(product=product)
    if request.GET.get("sort") == "helpful":
        reviews = reviews.order_by("-helpful_count", "-created")
    page = Paginator(reviews, PER_PAGE).get_page(request.GET.get("page"))
    context = {"product": product, "page": page, "sort": request.GET.get("sort", "")}
    return render(request, "reviews/list.html", context)


@require_POST
def helpful(request: HttpRequest, review_id: int) -> HttpResponse:
    review = get_object_or_404(Review.objects.published(), pk=review_id)
    if request.user.is_authenticated:
        voter = f"user:{request.user.pk}"
    else:
        if not request.session.session_key:
            request.session.save()
        voter = f"session:{request.session.session_key}"
    if actions.do_vote(review, voter):
        messages.success(request, _("Thank you for your vote."))
    else:
        messages.info(request, _("You have already marked this review as helpful."))
    return redirect(f"{review.product.get_absolute_url()}#reviews")


def ask(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(Product.objects.listed(), slug=slug)
    form = QuestionForm(request.POST or None)
    if request.method != "POST":
        return render(request, "reviews/ask.html", {"form": form, "product": product})
    if form.is_bot:  # a bot is thanked like a person, so it learns nothing
        messages.success(request, _("Thank you. We will e-mail you the answer."))
        return redirect(f"{product.get_absolute_url()}#questions")
    if not form.is_valid():
        return render(request, "reviews/ask.html", {"form": form, "product": product}, status=400)
    if too_many_questions(request, form.cleaned_data["email"]):
        form.add_error(
            None,
            _(
                "You have asked several questions in the last hour. Please wait an hour, "
                "or write to us about your order from the order page."
            ),
        )
        return render(request, "reviews/ask.html", {"form": form, "product": product}, status=429)
    language = translation.get_language() or "en"
    data = form.cleaned_data
    actions.do_ask(product, request.user, data["email"], data["text"], language)
    messages.success(
        request, _("Thank you. We will e-mail the answer to %(email)s.") % {"email": data["email"]}
    )
    return redirect(f"{product.get_absolute_url()}#questions")


def too_many_questions(request: HttpRequest, email: str) -> bool:
    """Per address in the cache (a flood from one machine), per e-mail in the database
    (a flood spread over many machines in one victim's name)."""
    key = f"reviews:ask:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=3600)
    by_address = cache.incr(key) > QUESTIONS_PER_HOUR
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    recent = Question.objects.filter(email__iexact=email, created__gte=an_hour_ago)
    return by_address or recent.count() >= QUESTIONS_PER_HOUR


@staff_required
def staff_questions(request: HttpRequest) -> HttpResponse:
    waiting = Question.objects.filter(answer="", hidden=False).select_related("product")
    return render(request, "reviews/staff_questions.html", {"questions": waiting[:50]})


@staff_required
def staff_answer(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("product"), pk=question_id)
    form = AnswerForm(request.POST or None, initial={"answer": question.answer})
    if request.method == "POST" and form.is_valid():
        if actions.do_answer(question, form.cleaned_data["answer"], signed_in(request).user):
            messages.success(request, _("Answer saved and e-mailed to the parent."))
        else:
            messages.success(request, _("Answer updated. The parent already had an e-mail."))
        return redirect("store:staff_questions")
    context = {"question": question, "form": form}
    return render(request, "reviews/staff_answer.html", context, status=400 if form.errors else 200)

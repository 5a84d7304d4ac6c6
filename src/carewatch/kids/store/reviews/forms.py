from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from carewatch.kids.store.reviews.models import MAX_QUESTION, MAX_TEXT, AgeGroup

# The stars are the picture; the words are what a screen reader and a hurried eye need.
MEANING = {
    5: _("5 stars: excellent"),
    4: _("4 stars: good"),
    3: _("3 stars: fair"),
    2: _("2 stars: poor"),
    1: _("1 star: very poor"),
}
STARS = [(n, format_lazy("{} {}", "★" * n + "☆" * (5 - n), MEANING[n])) for n in range(5, 0, -1)]


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=STARS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a rating from 1 to 5 stars."),
            "invalid_choice": _("Choose a rating from 1 to 5 stars."),
        },
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=100,
        error_messages={"required": _("Give your review a short title.")},
    )
    text = forms.CharField(
        label=_("Your review"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What works well for your family, and what does not?"),
        error_messages={"required": _("Write a few words about how it works for you.")},
    )
    age_group = forms.ChoiceField(
        label=_("Your child's age (optional)"),
        choices=[("", _("Rather not say")), *AgeGroup.choices],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Django's own message counts characters with a vague "at most"; ours says
        # how far over the parent is, so they can trim rather than guess.
        self.fields["text"].error_messages["max_length"] = _(
            "Please keep your review under %(limit_value)s characters (it has %(show_value)s now)."
        )
        self.fields["title"].error_messages["max_length"] = _(
            "Please keep the title under %(limit_value)s characters (it has %(show_value)s now)."
        )


class QuestionForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail"),
        help_text=_("We send the answer here. It is never shown on the page."),
        error_messages={
            "required": _("Enter your e-mail address so we can send you the answer."),
            "invalid": _("Enter a full e-mail address, like name@example.com."),
        },
    )
    text = forms.CharField(
        label=_("Your question"),
        max_length=MAX_QUESTION,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write your question first.")},
    )
    # A honeypot: hidden from people by CSS and aria-hidden, filled in by form bots.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["max_length"] = _(
            "Please keep your question under %(limit_value)s characters "
            "(it has %(show_value)s now)."
        )
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the answer before sending it.")},
    )

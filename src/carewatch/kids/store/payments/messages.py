"""What the customer reads for each gateway outcome: a sentence saying what to do next."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from carewatch.kids.store.payments.gateway import Outcome

MESSAGES = {
    Outcome.DECLINED: _("Your bank declined the card. Try another card or call your bank."),
    Outcome.INSUFFICIENT_FUNDS: _(
        "The card has insufficient funds. Try another card; nothing was charged."
    ),
    Outcome.EXPIRED_CARD: _("The bank says this card has expired. Please use another card."),
    Outcome.INCORRECT_CVC: _(
        "The security code (CVC) is wrong. Check the 3 digits on the back and try again."
    ),
    Outcome.AUTHENTICATION_REQUIRED: _(
        "Your bank wants to confirm this payment, which this shop cannot do yet. "
        "Use another card; nothing was charged."
    ),
    Outcome.AUTHENTICATION_FAILED: _(
        "Your bank did not confirm the payment, so nothing was charged. "
        "Try again or use another card."
    ),
    Outcome.INVALID_REQUEST: _("The payment could not be made. Check the card details."),
    Outcome.UNAVAILABLE: _(
        "We could not reach the payment service. Please try again in a minute; "
        "you will not be charged twice."
    ),
}


def message_for(outcome: Outcome) -> str:
    return str(MESSAGES.get(outcome, MESSAGES[Outcome.INVALID_REQUEST]))

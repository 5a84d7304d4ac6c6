"""The order status pipeline as data: which status may follow which. Plain Python.

Staff screens, e-mails and the customer's timeline all read this one table
instead of scattering `if order.status == ...` through the code.
"""

from __future__ import annotations

PLACED = "placed"
PAID = "paid"
PACKED = "packed"
SHIPPED = "shipped"
OUT_FOR_DELIVERY = "out_for_delivery"
DELIVERED = "delivered"
CANCELLED = "cancelled"
REFUNDED = "refunded"
RETURNED = "returned"

TRANSITIONS: dict[str, frozenset[str]] = {
    PLACED: frozenset({PAID, CANCELLED}),
    PAID: frozenset({PACKED, CANCELLED}),
    PACKED: frozenset({SHIPPED, CANCELLED}),
    SHIPPED: frozenset({OUT_FOR_DELIVERY, DELIVERED, RETURNED}),
    OUT_FOR_DELIVERY: frozenset({DELIVERED, RETURNED}),
    DELIVERED: frozenset({RETURNED}),
    CANCELLED: frozenset({REFUNDED}),
    RETURNED: frozenset({REFUNDED}),
    REFUNDED: frozenset(),
}

# The happy path the customer's timeline shows ahead of the order, greyed out.
HAPPY_PATH = (PLACED, PAID, PACKED, SHIPPED, OUT_FOR_DELIVERY, DELIVERED)


# Steps that undo an order (a refund gives real money back): offered after the forward
# steps, confirmed on a page of their own, and the customer is told.
DESTRUCTIVE = frozenset({CANCELLED, RETURNED, REFUNDED})
ORDER = (*HAPPY_PATH, RETURNED, CANCELLED, REFUNDED)

# The e-mails a status sends (templates orders/email/<kind>.txt and .html).
EMAILS_ON: dict[str, tuple[str, ...]] = {
    PAID: ("confirmation",),
    SHIPPED: ("dispatched",),
    DELIVERED: ("delivered", "setup"),
    CANCELLED: ("cancelled",),
    RETURNED: ("returned",),
    REFUNDED: ("refunded",),
}


def can_move(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())


def next_steps(current: str) -> list[str]:
    """Forward first, along the usual path; the destructive steps last."""
    steps = TRANSITIONS.get(current, frozenset())
    return sorted(steps, key=lambda step: (step in DESTRUCTIVE, ORDER.index(step)))


def is_final(status: str) -> bool:
    return not TRANSITIONS.get(status)

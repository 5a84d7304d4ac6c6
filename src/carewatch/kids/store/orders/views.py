"""The customer's order page: owner (or the guest's own session) only; everyone else 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from carewatch.kids.store.orders import pipeline
from carewatch.kids.store.orders.models import Order, Status

GUEST_ORDERS_KEY = "store_guest_orders"


def remember_guest_order(request: HttpRequest, order: Order) -> None:
    numbers = request.session.get(GUEST_ORDERS_KEY, [])
    request.session[GUEST_ORDERS_KEY] = [*numbers, order.number][-20:]


def can_view(request: HttpRequest, order: Order) -> bool:
    if order.owner_id is not None:
        return request.user.is_authenticated and order.owner_id == request.user.pk
    return order.number in request.session.get(GUEST_ORDERS_KEY, [])


def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    queryset = Order.objects.prefetch_related("lines__device", "events", "payments")
    order = get_object_or_404(queryset, number=number)
    if not can_view(request, order):
        raise Http404
    context = {"order": order, "timeline": timeline(order), "is_guest": order.owner_id is None}
    return render(request, "orders/order.html", context)


def timeline(order: Order) -> list[dict]:
    """What happened (with times), then what is still to come on the usual path."""
    labels = dict(Status.choices)
    done = [
        {"label": labels[e.status], "at": e.created, "note": e.note} for e in order.events.all()
    ]
    reached = {e.status for e in order.events.all()}
    if pipeline.is_final(order.status) or order.status in (Status.CANCELLED, Status.RETURNED):
        return done
    ahead = [s for s in pipeline.HAPPY_PATH if s not in reached]
    return done + [{"label": labels[s], "at": None, "note": ""} for s in ahead]


def my_orders(request: HttpRequest) -> HttpResponse:
    orders = Order.objects.filter(owner=request.user) if request.user.is_authenticated else []
    return render(request, "orders/list.html", {"orders": orders})

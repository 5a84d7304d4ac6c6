"""The customer's order page: the owner, or a guest's browser that placed the order or
opened its e-mailed link; everyone else 404."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from carewatch.kids.store.orders import pipeline
from carewatch.kids.store.orders.access import can_view, remember_guest_order, token_opens
from carewatch.kids.store.orders.models import Order, Status
from carewatch.kids.store.recommend import read


def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    queryset = Order.objects.prefetch_related("lines__device", "events", "payments")
    order = get_object_or_404(queryset, number=number)
    if not can_view(request, order):
        raise Http404
    context = {
        "order": order,
        "timeline": timeline(order),
        "is_guest": order.owner_id is None,
        "recommended": read.after_order(request.user, order),
    }
    return render(request, "orders/order.html", context)


def order_follow(request: HttpRequest, number: str, token: str) -> HttpResponse:
    """The e-mailed link: a valid token lets this browser see the guest order, then the
    plain address takes over so the secret leaves the address bar and the Referer."""
    order = get_object_or_404(Order, number=number)
    if not token_opens(token, order):
        raise Http404
    if order.owner_id is None:
        remember_guest_order(request, order)
    elif not request.user.is_authenticated:
        return redirect_to_login(order.get_absolute_url())  # the account decides
    return redirect(order)


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

"""The staff dispatch screen: orders to pack and ship, and a page per order whose
buttons are exactly the next statuses the pipeline allows."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from carewatch.kids.store.orders import actions, pipeline
from carewatch.kids.store.orders.models import Order, OrderLine, Slot, Status
from carewatch.platform.accounts.admin_site import staff_required
from carewatch.platform.web.templatetags.money import money

OPEN = [Status.PAID, Status.PACKED, Status.SHIPPED, Status.OUT_FOR_DELIVERY, Status.RETURNED]


class ShipForm(forms.Form):
    carrier = forms.CharField(label=gettext_lazy("Carrier"), max_length=40, required=False)
    tracking_number = forms.CharField(
        label=gettext_lazy("Tracking number"), max_length=40, required=False
    )


class RescheduleForm(forms.Form):
    delivery_date = forms.DateField(
        label=gettext_lazy("Delivery date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    delivery_slot = forms.ChoiceField(label=gettext_lazy("Delivery time"), choices=Slot.choices)


@staff_required
def dispatch_list(request: HttpRequest) -> HttpResponse:
    orders = Order.objects.filter(status__in=OPEN).order_by("delivery_date", "created")
    return render(request, "orders/dispatch_list.html", {"orders": orders})


@staff_required
def dispatch_order(request: HttpRequest, number: str) -> HttpResponse:
    order = get_object_or_404(Order.objects.prefetch_related("lines", "events"), number=number)
    labels = dict(Status.choices)
    steps = [(status, labels[status]) for status in pipeline.next_steps(order.status)]
    context = {
        "order": order,
        "steps": steps,
        "forward": [step for step in steps if step[0] not in pipeline.DESTRUCTIVE],
        "destructive": [step for step in steps if step[0] in pipeline.DESTRUCTIVE],
        "ship_form": ShipForm(),
        "reschedule_form": RescheduleForm(
            initial={"delivery_date": order.delivery_date, "delivery_slot": order.delivery_slot}
        ),
        "refundable": refundable_lines(order),
    }
    return render(request, "orders/dispatch_order.html", context)


WHAT_HAPPENS = {
    Status.CANCELLED: gettext_lazy("The goods go back into stock."),
    Status.RETURNED: gettext_lazy("The order is marked as returned; refund it once checked."),
    Status.REFUNDED: gettext_lazy("The money is given back through the payment gateway."),
}


@staff_required
def confirm_step(request: HttpRequest, number: str, status: str) -> HttpResponse:
    """The page a destructive step passes through: it says what will happen."""
    order = get_object_or_404(Order, number=number)
    if status not in pipeline.DESTRUCTIVE or not pipeline.can_move(order.status, status):
        raise Http404
    context = {
        "order": order,
        "status": status,
        "label": dict(Status.choices)[status],
        "what_happens": WHAT_HAPPENS[Status(status)],
    }
    return render(request, "orders/dispatch_confirm.html", context)


@staff_required
@require_POST
def advance(request: HttpRequest, number: str) -> HttpResponse:
    order = get_object_or_404(Order, number=number)
    status = request.POST.get("status", "")
    if status in pipeline.DESTRUCTIVE and request.POST.get("confirm") != "yes":
        return redirect("store:dispatch_confirm", order.number, status)
    form = ShipForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        actions.do_advance(
            order,
            status,
            data.get("carrier", ""),
            data.get("tracking_number", ""),
        )
    except actions.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Order %(number)s is now %(status)s.")
            % {"number": order.number, "status": order.get_status_display()},
        )
    return redirect("store:dispatch_order", order.number)


def refundable_lines(order: Order) -> list[OrderLine]:
    """Lines that can still be given back one by one: paid for and not refunded yet."""
    if order.status not in REFUNDABLE or not order.payments.filter(status="captured").exists():
        return []
    return [line for line in order.lines.all() if not line.refunded]


# A returned item is refunded line by line while the order goes on (or has arrived).
REFUNDABLE = [Status.PAID, Status.PACKED, Status.SHIPPED, Status.OUT_FOR_DELIVERY, Status.DELIVERED]


@staff_required
@require_POST
def refund_lines(request: HttpRequest, number: str) -> HttpResponse:
    """Gives back the ticked lines: their price less their share of the order's discount."""
    order = get_object_or_404(Order, number=number)
    allowed = {line.pk for line in refundable_lines(order)}
    chosen = [int(v) for v in request.POST.getlist("line") if v.isdigit() and int(v) in allowed]
    if not chosen or request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the items that came back and confirm, then refund."))
        return redirect("store:dispatch_order", order.number)
    try:
        amount = actions.do_refund_lines(order, chosen)
    except actions.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("₹%(amount)s went back to the card.") % {"amount": money(amount)}
        )
    return redirect("store:dispatch_order", order.number)


@staff_required
@require_POST
def reschedule(request: HttpRequest, number: str) -> HttpResponse:
    order = get_object_or_404(Order, number=number)
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a delivery date and a time slot."))
        return redirect("store:dispatch_order", order.number)
    try:
        actions.do_reschedule(
            order, form.cleaned_data["delivery_date"], form.cleaned_data["delivery_slot"]
        )
    except actions.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The delivery is planned for the new date."))
    return redirect("store:dispatch_order", order.number)

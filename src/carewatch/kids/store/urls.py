"""The store under /kids/shop/: one namespace, each app's views."""

from django.urls import include, path

from carewatch.kids.store.basket import views as basket
from carewatch.kids.store.catalogue import views as catalogue
from carewatch.kids.store.checkout import views as checkout
from carewatch.kids.store.mailing import views as mailing
from carewatch.kids.store.offers import views as offers
from carewatch.kids.store.orders import dispatch
from carewatch.kids.store.orders import views as orders
from carewatch.kids.store.payments import webhooks as stripe_webhook
from carewatch.kids.store.recommend import views as recommend

app_name = "store"
urlpatterns = [
    path("", catalogue.product_list, name="list"),
    path("compare/", catalogue.compare, name="compare"),
    path("guide/", catalogue.guide, name="guide"),
    path("products/<slug:slug>/", catalogue.product_detail, name="product"),
    path("products/<slug:slug>/guidelines/", catalogue.product_guidelines, name="guidelines"),
    path("basket/", basket.basket, name="basket"),
    path("basket/add/<slug:slug>/", basket.add, name="basket_add"),
    path("basket/lines/<int:line_id>/", basket.update, name="basket_update"),
    path("basket/coupon/", offers.apply, name="coupon_apply"),
    path("basket/coupon/remove/", offers.remove, name="coupon_remove"),
    path("checkout/", checkout.details, name="checkout"),
    path("checkout/pay/", checkout.pay, name="pay"),
    path("checkout/authenticate/", checkout.authenticate, name="authenticate"),
    path("payments/stripe/webhook/", stripe_webhook.receive, name="stripe_webhook"),
    path("orders/", orders.my_orders, name="orders"),
    path("for-you/", recommend.for_you, name="for_you"),
    path("orders/<str:number>/", orders.order_detail, name="order"),
    path("orders/<str:number>/follow/<str:token>/", orders.order_follow, name="order_follow"),
    path("staff/dispatch/", dispatch.dispatch_list, name="dispatch"),
    path("staff/dispatch/<str:number>/", dispatch.dispatch_order, name="dispatch_order"),
    path("staff/dispatch/<str:number>/advance/", dispatch.advance, name="dispatch_advance"),
    path(
        "staff/dispatch/<str:number>/confirm/<str:status>/",
        dispatch.confirm_step,
        name="dispatch_confirm",
    ),
    path(
        "staff/dispatch/<str:number>/refund-lines/",
        dispatch.refund_lines,
        name="dispatch_refund_lines",
    ),
    path(
        "staff/dispatch/<str:number>/reschedule/", dispatch.reschedule, name="dispatch_reschedule"
    ),
    path("news/confirm/<str:token>/", mailing.confirm, name="news_confirm"),
    path("news/unsubscribe/<str:token>/", mailing.unsubscribe, name="news_unsubscribe"),
    path("news/preference/", mailing.preference, name="news_preference"),
    path("", include("carewatch.kids.store.reviews.urls")),
]

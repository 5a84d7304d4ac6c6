"""Coupons and personal offers: the rules (rules.py, plain Python), the facts they need
(coupons.py), the personal offers made after an order (personal.py) and the basket's
coupon form (views.py)."""

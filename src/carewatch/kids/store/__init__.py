"""The Kids web store, one app per concept: catalogue, basket, payments, checkout, orders."""

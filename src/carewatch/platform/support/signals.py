"""Told after staff answer a thread, inside the same transaction: the shop publishes a
product question's first answer under the product (the platform never imports it).
Arguments: thread, message, first (True for the thread's first staff answer)."""

from django.dispatch import Signal

thread_answered = Signal()

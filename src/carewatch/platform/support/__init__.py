"""Support: one staff inbox for product questions and the help assistant's hand-overs.
The API is in actions.py; replies by e-mail in inbound.py; docs/support.md."""

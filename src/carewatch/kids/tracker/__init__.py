"""The tracker app: children, devices, positions, places, events, alert settings.

The rules themselves live in `carewatch.kids.tracking` (plain Python); this app
stores what they need and shows parents what they decided.
"""

"""The tracker app (Django): children, devices, positions, places, events, alert settings.

`tracker` is the Django app, `tracking` its rules: the rules themselves (place
entry and exit, battery, offline, SOS) live in `carewatch.kids.tracking`, plain
Python; this app stores what they need and shows parents what they decided.
"""

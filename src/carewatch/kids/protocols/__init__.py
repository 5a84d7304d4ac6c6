"""Device protocol decoders: bytes in, typed messages out. Plain Python, no Django.

Each protocol has its own module (`watch`, `osmand`, `owntracks`); each returns a
`Decoded` (see `messages`). Positions, heartbeats and alarms are all expressed as the
tracking core's `Fix`: a message without a usable position is a Fix with
`valid=False` that still carries its battery, alarms and attributes. Sockets, HTTP and
the database live in `carewatch.kids.gateways`, which calls these functions.
"""

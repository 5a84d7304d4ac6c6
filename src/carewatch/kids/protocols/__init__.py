"""Device protocol decoders: bytes in, typed messages out. Plain Python, no Django.

Each protocol has its own module (`watch`, `osmand`, `owntracks`); each returns a
`Decoded` (see `messages`). Positions, heartbeats and alarms are all expressed as the
tracking core's `Fix`: a message without a usable position is a Fix with
`valid=False` that still carries its battery, alarms and attributes. Sockets, HTTP and
the database live in `carewatch.kids.gateways`, which calls these functions.

The interface::

    framer = watch.WatchFramer()              # one per TCP connection
    for frame in framer.feed(segment):        # ProtocolError: cut the connection
        message = watch.decode(frame, received)   # ProtocolError: a broken frame
        message.fixes, message.reply, message.attributes["manufacturer"]
    watch.encode_command("3G", "4700186508", watch.upload_interval(600))

    osmand.decode(method, uri, body, content_type, received)
    owntracks.decode(body, device_id, received)

`decode_tool` is `carewatch gateway decode` (JSON lines of messages in, what we
understood out); `fields` reads the loosely typed values of the HTTP protocols.
Alarm names: sos, low_battery, removed, fall, geofence_enter, geofence_exit,
power_off, low_power.
"""

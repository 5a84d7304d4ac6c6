"""The ingest log and its workers: the one way positions enter CareWatch.

Gateways, the simulator and the API `append` fixes to the log; `append` returns only
when they are durable, and only then is the device acknowledged. Ingest workers own
partitions of the log (hash of the device id), run the tracking rules on batches, write
positions, device state and events, notify, and acknowledge the log after the commit.
Alarm fixes (SOS, fall, removed) travel in their own fast lane. See DESIGN.md
"Device to parent".
"""

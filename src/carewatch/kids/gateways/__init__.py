"""Device gateways: the servers that carry bytes between real devices and the ingest log.

Pure parts (config, commands, limits, the watch server's bookkeeping) import no Django;
the Django shell (models, views, the device directory) is kept thin around them.
"""

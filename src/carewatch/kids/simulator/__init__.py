"""Virtual watches that walk children along routes, through the real ingestion path.

`routes` is plain Python (where a walker is at a given second); `runner` feeds
what the walkers report into the ingest log, as a gateway would.
"""

"""Huey tasks: an announcement fans out into batches; each batch is its own task."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from carewatch.kids.store.mailing import announce as announcing


@db_task(retries=3, retry_delay=60)
def announce(product_id: int) -> None:
    for batch in announcing.batches(product_id):
        send_batch(product_id, batch)


@db_task(retries=3, retry_delay=60)
def send_batch(product_id: int, subscriber_ids: list[int]) -> None:
    announcing.send_batch(product_id, subscriber_ids)

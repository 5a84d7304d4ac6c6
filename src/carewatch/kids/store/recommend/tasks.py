"""The recommender is retrained every night from the task queue (and on demand with
`carewatch manage train_recommendations`)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from carewatch.kids.store.recommend.build import Written, refresh


@db_periodic_task(crontab(hour="3", minute="15"))
@lock_task("store-recommendations")
def train_recommendations() -> Written:
    return refresh()

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from carewatch.eyes.screening import grading


@db_task()
def grade_image(image_id: int) -> None:
    grading.grade_image(image_id)


@db_periodic_task(crontab(minute="*/5"))
def requeue_stuck_images() -> None:
    """A photo must never stay "Waiting to be graded" because a worker died."""
    for image_id in grading.stuck_images():
        grade_image(image_id)

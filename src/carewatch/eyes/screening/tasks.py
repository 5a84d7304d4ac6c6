from huey.contrib.djhuey import db_task

from carewatch.eyes.screening import grading


@db_task()
def grade_image(image_id: int) -> None:
    grading.grade_image(image_id)

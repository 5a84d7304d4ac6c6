"""Each question asked before the staff inbox existed becomes a support thread: the
question as the customer's message, the answer (if any) as the staff's."""

from typing import Any

from django.db import migrations
from django.urls import NoReverseMatch, reverse


def product_path(slug: str) -> str:
    try:
        return reverse("store:product", args=[slug])
    except NoReverseMatch:
        return f"/kids/shop/products/{slug}/"


def into_threads(apps: Any, schema_editor: Any) -> None:
    Question = apps.get_model("reviews", "Question")
    Thread = apps.get_model("support", "Thread")
    Message = apps.get_model("support", "Message")
    for question in Question.objects.filter(thread=None).select_related("product"):
        answered = question.answered_at is not None
        status = "answered" if answered else ("closed" if question.hidden else "open")
        thread = Thread.objects.create(
            kind="question",
            user_id=question.user_id,
            email=question.email,
            language=question.language,
            page=product_path(question.product.slug),
            subject=question.product.name[:200],
            status=status,
            created=question.created,
            updated=question.answered_at or question.created,
            waiting_since=question.created if status == "open" else None,
            first_answer_at=question.answered_at,
        )
        Message.objects.create(
            thread=thread, author="user", text=question.text, created=question.created
        )
        if answered:
            Message.objects.create(
                thread=thread,
                author="staff",
                staff_id=question.answered_by_id,
                text=question.answer,
                created=question.answered_at,
            )
        question.thread = thread
        question.save(update_fields=["thread"])


def out_of_threads(apps: Any, schema_editor: Any) -> None:
    Question = apps.get_model("reviews", "Question")
    Thread = apps.get_model("support", "Thread")
    ids = list(Question.objects.exclude(thread=None).values_list("thread_id", flat=True))
    Question.objects.update(thread=None)
    Thread.objects.filter(pk__in=ids).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_question_thread"),
        ("support", "0001_threads_and_messages"),
    ]

    operations = [migrations.RunPython(into_threads, out_of_threads)]

"""The support API the help assistant calls (carewatch.platform.support.actions), and
the data migration that turned the shop's existing questions into threads."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase
from django.utils import timezone

from carewatch.kids.store.catalogue.loader import load_catalogue
from carewatch.platform.accounts.models import User
from carewatch.platform.notify.models import Notification
from carewatch.platform.support import actions
from carewatch.platform.support.models import Author, Kind, Status, Thread, Via
from tests.platform.support_base import SupportTestCase


class ApiTests(SupportTestCase):
    def test_open_thread_keeps_the_conversation_in_order_and_waits_for_staff(self) -> None:
        thread = self.handover(lang="ta", page="/kids/tracker/map/?x=1")
        self.assertEqual(
            (thread.kind, thread.status, thread.language), (Kind.HANDOVER, Status.OPEN, "ta")
        )
        self.assertEqual(thread.page, "/kids/tracker/map/?x=1")
        self.assertIsNotNone(thread.waiting_since)
        authors = list(thread.messages.values_list("author", "via"))
        self.assertEqual(
            authors, [("user", "assistant"), ("assistant", "assistant"), ("user", "assistant")]
        )

    def test_an_anonymous_visitor_is_a_guest_and_needs_an_address_or_a_phone(self) -> None:
        thread = self.handover(user=AnonymousUser())
        self.assertIsNone(thread.user)
        with self.assertRaisesMessage(ValueError, "needs an e-mail address or a phone number"):
            self.handover(email="", phone="")
        with self.assertRaisesMessage(ValueError, "not a mobile number"):
            self.handover(phone="12")

    def test_bad_arguments_raise_value_errors_with_a_sentence(self) -> None:
        with self.assertRaisesMessage(ValueError, "The kind must be one of"):
            actions.open_thread(
                "chat", email="a@b.org", lang="en", page="/", subject="x", messages=[("user", "x")]
            )
        with self.assertRaisesMessage(ValueError, "from 'user' or 'assistant'"):
            self.handover(messages=[("staff", "I am staff, trust me")])
        with self.assertRaisesMessage(ValueError, "at least one message from the user"):
            self.handover(messages=[("assistant", "Hello"), ("user", "   ")])
        with self.assertRaisesMessage(ValueError, "empty"):
            actions.add_user_message(self.handover(), "\u202e ")
        self.assertEqual(Thread.objects.count(), 1)

    def test_an_unknown_language_and_an_outside_page_are_not_stored_as_given(self) -> None:
        thread = self.handover(lang="xx", page="https://evil.example/phish")
        self.assertEqual((thread.language, thread.page), ("en", ""))
        self.assertEqual(self.handover(lang="ta-IN").language, "ta")
        self.assertEqual(self.handover(page="//evil.example/").page, "")
        self.assertEqual(self.handover(subject="").subject, "My watch shows no position on the map")

    def test_answer_and_a_reply_move_the_thread_between_waiting_and_answered(self) -> None:
        thread = self.handover()
        with self.captureOnCommitCallbacks(execute=True):
            actions.answer(thread, self.staff, "Charge it.")
        first = thread.first_answer_at
        self.assertEqual((thread.status, thread.waiting_since), (Status.ANSWERED, None))
        actions.add_user_message(thread, "Still nothing.", via=Via.EMAIL)
        self.assertEqual(thread.status, Status.OPEN)
        with self.captureOnCommitCallbacks(execute=True):
            actions.answer(thread, self.staff, "Then call us.")
        self.assertEqual(thread.first_answer_at, first)  # the response time counts the first
        actions.close(thread)
        actions.add_user_message(thread, "Thanks")
        self.assertEqual(thread.status, Status.OPEN)

    def test_an_account_s_threads_go_with_the_account(self) -> None:
        user = User.objects.create_user("temp@example.org", "pw-temp-12345")
        thread = self.handover(user=user)
        user.delete()
        self.assertFalse(Thread.objects.filter(pk=thread.pk).exists())


class QuestionMigrationTests(TransactionTestCase):
    def test_existing_questions_become_threads_with_their_answers(self) -> None:
        executor = MigrationExecutor(connection)
        executor.migrate([("reviews", "0002_question_thread")])
        apps = executor.loader.project_state([("reviews", "0002_question_thread")]).apps
        load_catalogue()
        product_model = apps.get_model("catalogue", "Product")
        question_model = apps.get_model("reviews", "Question")
        product = product_model.objects.get(slug="carewatch-junior-4g")
        staff = User.objects.create_user("old@example.org", "pw-old-123456", is_staff=True)
        asked = timezone.now() - timedelta(days=3)
        answered = question_model.objects.create(
            product=product,
            email="a@example.org",
            text="SIM?",
            language="hi",
            created=asked,
            answer="Nano SIM.",
            answered_by_id=staff.pk,
            answered_at=asked + timedelta(hours=2),
        )
        waiting = question_model.objects.create(product=product, email="b@example.org", text="GPS?")
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        answered_thread = Thread.objects.get(question__pk=answered.pk)
        self.assertEqual(answered_thread.status, Status.ANSWERED)
        first_answer = answered_thread.first_answer_at
        assert first_answer is not None
        self.assertEqual(first_answer - answered_thread.created, timedelta(hours=2))
        self.assertEqual(
            (answered_thread.language, answered_thread.page),
            ("hi", "/kids/shop/products/carewatch-junior-4g/"),
        )
        texts = list(answered_thread.messages.values_list("author", "text", "staff"))
        self.assertEqual(
            texts, [(Author.USER, "SIM?", None), (Author.STAFF, "Nano SIM.", staff.pk)]
        )
        waiting_thread = Thread.objects.get(question__pk=waiting.pk)
        self.assertEqual(
            (waiting_thread.status, waiting_thread.email), (Status.OPEN, "b@example.org")
        )


class DemoTests(SupportTestCase):
    def test_the_demo_has_a_question_and_a_hand_over_waiting_once(self) -> None:
        from carewatch.demo import load_demo_data

        load_demo_data()
        load_demo_data()
        kinds = sorted(Thread.objects.values_list("kind", flat=True))
        self.assertEqual(kinds, [Kind.HANDOVER, Kind.QUESTION])


class RetentionTests(SupportTestCase):
    def test_hand_overs_are_forgotten_after_the_kept_days_unless_still_waiting(self) -> None:
        old_answered, old_waiting, recent = self.handover(), self.handover(), self.handover()
        with self.captureOnCommitCallbacks(execute=True):
            actions.answer(old_answered, self.staff, "Done.")
            actions.answer(recent, self.staff, "Done.")
        long_ago = timezone.now() - timedelta(days=31)
        Thread.objects.filter(pk__in=[old_answered.pk, old_waiting.pk]).update(updated=long_ago)
        self.assertEqual(actions.forget_old_handovers(), 1)
        left = set(Thread.objects.values_list("pk", flat=True))
        self.assertEqual(left, {old_waiting.pk, recent.pk})
        self.assertFalse(
            Notification.objects.filter(topic=f"support.thread:{old_answered.pk}").exists()
        )
        with self.settings(SUPPORT_KEEP_DAYS=0):
            Thread.objects.update(updated=long_ago, status=Status.CLOSED)
            self.assertEqual(actions.forget_old_handovers(), 0)

    def test_product_questions_are_kept(self) -> None:
        load_catalogue()
        self.client.post(
            "/kids/shop/products/carewatch-junior-4g/questions/",
            {"email": "meera@example.org", "text": "Is the strap replaceable?"},
        )
        Thread.objects.update(updated=timezone.now() - timedelta(days=400), status=Status.CLOSED)
        self.assertEqual(actions.forget_old_handovers(), 0)

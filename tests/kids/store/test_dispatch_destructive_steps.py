"""Dispatch: the steps that undo an order (cancel, return, refund) come after the forward
step, are confirmed on a page of their own, and the customer is told by e-mail."""

from __future__ import annotations

from carewatch.kids.store.orders import pipeline
from carewatch.kids.store.orders.models import Order
from tests.base import with_authenticator
from tests.kids.store.base import StoreTestCase
from tests.mailbox import smtp_server


def test_the_pipeline_offers_the_forward_steps_before_the_destructive_ones() -> None:
    assert pipeline.next_steps(pipeline.PAID) == [pipeline.PACKED, pipeline.CANCELLED]
    assert pipeline.next_steps(pipeline.SHIPPED) == [
        pipeline.OUT_FOR_DELIVERY,
        pipeline.DELIVERED,
        pipeline.RETURNED,
    ]
    assert {pipeline.CANCELLED, pipeline.RETURNED, pipeline.REFUNDED} == pipeline.DESTRUCTIVE
    for status in pipeline.DESTRUCTIVE:
        assert pipeline.EMAILS_ON[status], f"the customer is told when an order is {status}"


class DestructiveDispatchTests(StoreTestCase):
    def setUp(self) -> None:
        super().setUp()
        with self.captureOnCommitCallbacks(execute=True):
            self.add_to_basket(self.junior)
            self.enter_details()
            self.pay()
        self.order = Order.objects.get()
        self.staff = with_authenticator(
            type(self.alice).objects.create_user(
                "staff@example.org", "pw-staff-12345", is_staff=True
            )
        )
        self.login(self.staff)
        self.page = f"/kids/shop/staff/dispatch/{self.order.number}/"

    def advance(self, status: str, **data: str) -> object:
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(f"{self.page}advance/", {"status": status, **data})

    def status(self) -> str:
        return Order.objects.get(pk=self.order.pk).status

    def test_the_first_button_moves_the_order_forward(self) -> None:
        html = self.client.get(self.page).content.decode()
        packed, cancel = html.index('value="packed"'), html.index("Cancelled")
        self.assertLess(packed, cancel)
        self.assertNotIn('name="status" value="cancelled"', html.split("</form>")[1])

    def test_a_destructive_step_without_confirmation_changes_nothing(self) -> None:
        response = self.advance("cancelled")
        self.assertEqual(self.status(), "paid")
        self.assertRedirects(response, f"{self.page}confirm/cancelled/")  # type: ignore[arg-type]

    def test_the_confirmation_page_says_what_happens_and_then_cancels(self) -> None:
        page = self.client.get(f"{self.page}confirm/cancelled/")
        self.assertContains(page, "The customer is told by e-mail")
        self.assertContains(page, 'name="confirm"')
        self.advance("cancelled", confirm="yes")
        self.assertEqual(self.status(), "cancelled")

    def test_a_step_the_pipeline_does_not_allow_has_no_confirmation_page(self) -> None:
        self.assertEqual(self.client.get(f"{self.page}confirm/refunded/").status_code, 404)
        self.assertEqual(self.client.get(f"{self.page}confirm/packed/").status_code, 404)
        self.assertEqual(self.client.get(f"{self.page}confirm/<script>/").status_code, 404)

    def test_the_customer_is_told_of_a_cancellation_and_the_refund_once_each(self) -> None:
        with smtp_server() as mailbox:
            self.advance("cancelled", confirm="yes")
            self.advance("refunded", confirm="yes")
            self.advance("refunded", confirm="yes")
        subjects = [m["Subject"] for m in mailbox.messages]
        self.assertEqual(len(subjects), 2, subjects)
        self.assertIn("cancelled", subjects[0])
        self.assertIn("refund", subjects[1])
        self.assertIn("₹5,499.00", mailbox.texts()[1])
        self.assertEqual({m["To"] for m in mailbox.messages}, {"priya@example.org"})

    def test_the_customer_is_told_when_a_return_is_recorded(self) -> None:
        self.advance("packed")
        self.advance("shipped", carrier="BlueDart", tracking_number="BD1")
        with smtp_server() as mailbox:
            self.advance("returned", confirm="yes")
        self.assertEqual(self.status(), "returned")
        self.assertEqual(len(mailbox.messages), 1)
        self.assertIn("return", mailbox.messages[0]["Subject"])

"""The order status pipeline is a table; the timeline and staff actions read it."""

from carewatch.kids.store.orders import pipeline


def test_it_allows_the_usual_path_from_placed_to_delivered() -> None:
    path = pipeline.HAPPY_PATH
    assert all(pipeline.can_move(a, b) for a, b in zip(path, path[1:], strict=False))


def test_it_refuses_to_skip_or_go_back() -> None:
    assert not pipeline.can_move(pipeline.PLACED, pipeline.SHIPPED)
    assert not pipeline.can_move(pipeline.DELIVERED, pipeline.PAID)
    assert not pipeline.can_move(pipeline.SHIPPED, pipeline.CANCELLED)


def test_refunded_is_the_end_of_the_line() -> None:
    assert pipeline.is_final(pipeline.REFUNDED)
    assert pipeline.next_steps(pipeline.RETURNED) == [pipeline.REFUNDED]
    assert set(pipeline.TRANSITIONS) == {
        "placed",
        "paid",
        "packed",
        "shipped",
        "out_for_delivery",
        "delivered",
        "cancelled",
        "refunded",
        "returned",
    }

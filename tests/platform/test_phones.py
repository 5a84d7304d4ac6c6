"""Phone numbers as people type them: pure Python."""

from __future__ import annotations

import pytest

from carewatch.platform.lib.phones import normalise_phone, same_phone


@pytest.mark.parametrize(
    "typed",
    ["98765 43210", "098765-43210", "+91 98765 43210", "919876543210", "0091 (98765) 43210"],
)
def test_it_stores_an_indian_mobile_typed_any_usual_way_with_the_country_code(
    typed: str,
) -> None:
    assert normalise_phone(typed) == "+919876543210"


def test_it_keeps_a_number_from_another_country_given_with_its_code() -> None:
    assert normalise_phone("+44 7700 900123") == "+447700900123"


@pytest.mark.parametrize("typed", ["12345", "5876543210", "phone me", "+0 123 456 789", ""])
def test_it_refuses_what_cannot_be_a_mobile_number(typed: str) -> None:
    assert normalise_phone(typed) is None


def test_it_matches_the_same_number_written_two_ways_and_never_two_blanks() -> None:
    assert same_phone("98765 43210", "+919876543210")
    assert not same_phone("98765 43210", "98765 43211")
    assert not same_phone("", "")

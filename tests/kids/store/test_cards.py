"""Luhn, brand, expiry and CVC checks: plain functions, no database."""

from datetime import date

from carewatch.kids.store.payments.cards import (
    brand,
    cvc_valid,
    digits,
    expiry_valid,
    last4,
    luhn_valid,
)

TODAY = date(2026, 11, 23)


def test_it_accepts_numbers_that_pass_the_luhn_check_with_spaces_or_dashes() -> None:
    assert luhn_valid("4242 4242 4242 4242")
    assert luhn_valid("5555-5555-5555-4444")
    assert luhn_valid("378282246310005")


def test_it_rejects_a_mistyped_digit_letters_and_short_numbers() -> None:
    assert not luhn_valid("4242424242424241")
    assert not luhn_valid("4242a24242424242")
    assert not luhn_valid("42424242")
    assert not luhn_valid("")


def test_it_names_the_brand_and_keeps_only_the_last_four() -> None:
    assert brand("4242424242424242") == "visa"
    assert brand("5555555555554444") == "mastercard"
    assert brand("378282246310005") == "amex"
    assert brand("6080000000000006") == "rupay"
    assert last4("4242 4242 4242 4242") == "4242"
    assert digits("4242 4242-42") == "4242424242"


def test_a_card_works_until_the_end_of_its_expiry_month() -> None:
    assert expiry_valid(11, 26, TODAY)
    assert expiry_valid(12, 2026, TODAY)
    assert not expiry_valid(10, 26, TODAY)
    assert not expiry_valid(13, 27, TODAY)
    assert not expiry_valid(1, 2060, TODAY)


def test_the_cvc_has_three_digits_or_four_on_amex() -> None:
    assert cvc_valid("123", "visa")
    assert not cvc_valid("1234", "visa")
    assert cvc_valid("1234", "amex")
    assert not cvc_valid("12a", "visa")

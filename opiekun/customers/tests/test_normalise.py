"""Emails and phone numbers are stored in one form, whatever way they were typed."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opiekun.customers.services import (
    InvalidIdentity,
    normalise_email,
    normalise_identity,
    normalise_phone,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("600 100 200", "+48600100200"),
        ("600-100-200", "+48600100200"),
        ("+48 600 100 200", "+48600100200"),
        ("+48 (22) 123-45-67", "+48221234567"),
        ("(22) 123 45 67", "+48221234567"),
        ("0048 600 100 200", "+48600100200"),
        ("  +48600100200  ", "+48600100200"),
        ("+372 5123 4567", "+37251234567"),
        ("00372 5123 4567", "+37251234567"),
        ("+372 640 0300", "+3726400300"),
        ("+1 202 555 0143", "+12025550143"),
    ],
)
def test_phone_numbers_typed_in_any_format_are_stored_in_e164(typed: str, stored: str) -> None:
    assert normalise_phone(typed) == stored


def test_national_number_is_read_in_the_region_given() -> None:
    assert normalise_phone("5123 4567", region="EE") == "+37251234567"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "abc",
        "12",
        "600 100 20",
        "++48600100200",
        "600 100 200 ext. 5",
        "call 600 100 200",
        "+48 600 100 200 0000 0000",
        "jan@example.pl",
        "+",
    ],
)
def test_text_that_is_not_a_phone_number_is_refused(typed: str) -> None:
    with pytest.raises(InvalidIdentity) as raised:
        normalise_phone(typed)

    assert str(raised.value) == f"“{typed.strip()}” is not a phone number."


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("jan.kowalski@example.pl", "jan.kowalski@example.pl"),
        ("Jan.Kowalski@Example.PL", "jan.kowalski@example.pl"),
        ("  mari@näide.ee ", "mari@näide.ee"),
        ("<anna@firma.pl>", "anna@firma.pl"),
        ("mailto:Anna@Firma.pl", "anna@firma.pl"),
        ("MAILTO:anna@firma.pl", "anna@firma.pl"),
    ],
)
def test_email_addresses_are_stored_in_lower_case(typed: str, stored: str) -> None:
    assert normalise_email(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["", "jan", "jan@", "@example.pl", "jan kowalski@example.pl", "a@b@example.pl", "600 100 200"],
)
def test_text_that_is_not_an_email_address_is_refused(typed: str) -> None:
    with pytest.raises(InvalidIdentity) as raised:
        normalise_email(typed)

    assert str(raised.value) == f"“{typed}” is not an email address."


def test_an_address_longer_than_254_characters_is_refused() -> None:
    with pytest.raises(InvalidIdentity):
        normalise_email("a" * 64 + "@" + ("b" * 60 + ".") * 3 + "example.pl")


def test_identity_kind_picks_the_normaliser() -> None:
    assert normalise_identity("email", "Jan@Example.pl") == "jan@example.pl"
    assert normalise_identity("phone", "600 100 200") == "+48600100200"


phone_like = st.text(alphabet="0123456789 +-()./", min_size=1, max_size=24)
prefixed = st.builds(
    lambda prefix, digits: prefix + digits,
    st.sampled_from(["", "+48", "0048", "+372", "00372", "+1", "+44", "+49", "+7", "+39 0"]),
    st.text(alphabet="0123456789", min_size=6, max_size=12),
)


# Numbers that are really in use: Polish mobiles and landlines, Estonian mobiles, spelled the
# ways people type them.
real = st.builds(
    lambda prefix, digits, separator: prefix + separator.join(digits[i : i + 3] for i in (0, 3, 6)),
    st.sampled_from(["", "+48 ", "0048", "+48(", "+372 ", "00372 "]),
    st.from_regex(r"[5-8][0-9]{8}|5[0-9]{6,7}|22[0-9]{7}", fullmatch=True),
    st.sampled_from(["", " ", "-", "."]),
)


@given(st.one_of(phone_like, prefixed, real))
def test_normalising_a_phone_number_twice_gives_the_same_result(typed: str) -> None:
    try:
        once = normalise_phone(typed)
    except InvalidIdentity:
        return
    assert normalise_phone(once) == once


@given(st.emails())
def test_normalising_an_email_address_twice_gives_the_same_result(address: str) -> None:
    try:
        once = normalise_email(address)
    except InvalidIdentity:
        return
    assert normalise_email(once) == once

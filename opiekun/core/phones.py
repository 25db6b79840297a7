"""Phone numbers as people read them: stored in E.164 (+48600100200), shown grouped in the
international format (+48 600 100 200)."""

import phonenumbers


def readable_phone(number: str) -> str:
    """`number` grouped for reading; anything that is not a number comes back unchanged."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)

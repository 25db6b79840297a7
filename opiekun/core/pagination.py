"""Keyset (cursor) pagination: a page is found by the ordering values of the row at its edge,
never by an offset or a COUNT(*), so every page costs one indexed query however deep the list
goes.

A cursor is an opaque, URL-safe string signed with SECRET_KEY. It names the ordering it was
made for, the direction to walk and the ordering values of the row at the page edge. A forged,
edited or foreign cursor fails the checks and raises `InvalidCursor`.
"""

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Field, Model, Q, QuerySet

SALT = "opiekun.core.pagination"
# "." is outside the URL-safe base64 alphabet, so a cursor needs no escaping in a URL.
SEPARATOR = "."
NEXT = "n"
PREVIOUS = "p"


class InvalidCursor(ValueError):
    """The cursor was not made by this server for this ordering."""


@dataclass(frozen=True)
class Page[M: Model]:
    items: list[M]
    next_cursor: str | None
    previous_cursor: str | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None


@dataclass(frozen=True)
class _Key:
    name: str
    descending: bool
    field: Field[Any, Any]


def keyset_page[M: Model](
    queryset: QuerySet[M],
    *,
    cursor: str | None,
    size: int,
    order: tuple[str, ...] = ("-updated_at", "-id"),
) -> Page[M]:
    """Return one page of `queryset` in `order`: the first page when `cursor` is None,
    otherwise the page after (or before) the row the cursor points at.

    Ordering fields must be concrete, non-null fields of the model. The primary key is added
    as a tie-breaker when `order` does not end with it, so rows with equal values (two cases
    updated in the same microsecond) are neither skipped nor repeated. One query per page: it
    fetches `size + 1` rows to learn whether another page follows.
    """
    if size < 1:
        raise ValueError("A page holds at least one row.")
    keys = _keys(queryset.model, order)
    if cursor is None:
        return _forward(queryset, keys, size=size, after=None, inclusive=False)
    direction, values, inclusive = _decode(cursor, keys)
    if direction == NEXT:
        return _forward(queryset, keys, size=size, after=values, inclusive=inclusive)
    page = _backward(queryset, keys, size=size, before=values, inclusive=inclusive)
    if not page.items:
        # Every row before the cursor is gone: the first page is the honest answer.
        return _forward(queryset, keys, size=size, after=None, inclusive=False)
    return page


def _forward[M: Model](
    queryset: QuerySet[M],
    keys: list[_Key],
    *,
    size: int,
    after: list[Any] | None,
    inclusive: bool,
) -> Page[M]:
    rows = queryset.order_by(*_ordering(keys, reverse=False))
    if after is not None:
        rows = rows.filter(_beyond(keys, after, reverse=False, inclusive=inclusive))
    fetched = list(rows[: size + 1])
    items = fetched[:size]
    next_cursor = _encode(keys, NEXT, items[-1]) if len(fetched) > size else None
    previous_cursor = None
    if after is not None:
        # Rows existed before this page (the cursor came from one). If the page is empty
        # because they were all deleted meanwhile, walk back from the cursor itself.
        previous_cursor = (
            _encode(keys, PREVIOUS, items[0])
            if items
            else _sign(keys, PREVIOUS, after, inclusive=not inclusive)
        )
    return Page(items=items, next_cursor=next_cursor, previous_cursor=previous_cursor)


def _backward[M: Model](
    queryset: QuerySet[M],
    keys: list[_Key],
    *,
    size: int,
    before: list[Any],
    inclusive: bool,
) -> Page[M]:
    rows = queryset.order_by(*_ordering(keys, reverse=True)).filter(
        _beyond(keys, before, reverse=True, inclusive=inclusive)
    )
    fetched = list(rows[: size + 1])
    items = list(reversed(fetched[:size]))
    if not items:
        return Page(items=[], next_cursor=None, previous_cursor=None)
    previous_cursor = _encode(keys, PREVIOUS, items[0]) if len(fetched) > size else None
    next_cursor = _encode(keys, NEXT, items[-1])
    return Page(items=items, next_cursor=next_cursor, previous_cursor=previous_cursor)


def _keys(model: type[Model], order: tuple[str, ...]) -> list[_Key]:
    if not order:
        raise ValueError("Keyset pagination needs an ordering.")
    pk = model._meta.pk
    if pk is None:
        raise ValueError(f"{model.__name__} has no primary key to break ties with.")
    pk_name = pk.name
    keys = []
    for item in order:
        name = item.removeprefix("-")
        name = pk_name if name == "pk" else name
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            raise ValueError(f"{model.__name__} has no field {name!r} to order by.") from None
        if not isinstance(field, Field) or not field.concrete or field.null:
            raise ValueError(f"{model.__name__}.{name} is not a concrete non-null field.")
        keys.append(_Key(name=field.attname, descending=item.startswith("-"), field=field))
    if keys[-1].name != pk.attname:
        keys.append(_Key(name=pk.attname, descending=keys[-1].descending, field=pk))
    return keys


def _ordering(keys: list[_Key], *, reverse: bool) -> list[str]:
    return [("-" if key.descending != reverse else "") + key.name for key in keys]


def _beyond(keys: list[_Key], values: list[Any], *, reverse: bool, inclusive: bool) -> Q:
    """Rows strictly past `values` in the walking direction (or at them, when inclusive).

    (a, b, c) > (x, y, z) is spelled a > x OR (a = x AND b > y) OR (a = x AND b = y AND c > z),
    with each > turned into < for a descending key; databases use the leading index column.
    """
    condition = Q()
    equal_so_far = Q()
    for key, value in zip(keys, values, strict=True):
        lookup = "lt" if key.descending != reverse else "gt"
        condition |= equal_so_far & Q(**{f"{key.name}__{lookup}": value})
        equal_so_far &= Q(**{key.name: value})
    if inclusive:
        condition |= equal_so_far
    return condition


def _encode(keys: list[_Key], direction: str, row: Model) -> str:
    return _sign(keys, direction, [getattr(row, key.name) for key in keys], inclusive=False)


def _sign(keys: list[_Key], direction: str, values: list[Any], *, inclusive: bool) -> str:
    payload = {
        "o": [key.name for key in keys],
        "d": direction,
        "v": [_plain(value) for value in values],
        "i": inclusive,
    }
    return signing.Signer(salt=SALT, sep=SEPARATOR).sign_object(payload)


def _plain(value: Any) -> Any:
    """A JSON value that the field's `to_python` turns back into `value`."""
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)  # Decimal, UUID


def _decode(cursor: str, keys: list[_Key]) -> tuple[str, list[Any], bool]:
    signer = signing.Signer(salt=SALT, sep=SEPARATOR)
    try:
        payload = signer.unsign_object(cursor)
    except (signing.BadSignature, ValueError, TypeError):
        raise InvalidCursor(cursor) from None
    if (
        not isinstance(payload, dict)
        or payload.get("o") != [key.name for key in keys]
        or payload.get("d") not in {NEXT, PREVIOUS}
        or not isinstance(payload.get("v"), list)
        or len(payload["v"]) != len(keys)
        or not isinstance(payload.get("i"), bool)
    ):
        raise InvalidCursor(cursor)
    try:
        values = [key.field.to_python(value) for key, value in zip(keys, payload["v"], strict=True)]
    except ValidationError:
        raise InvalidCursor(cursor) from None
    return payload["d"], values, payload["i"]

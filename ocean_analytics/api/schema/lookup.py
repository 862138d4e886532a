"""Reading one value of an answer decoded without a type, by the schema's own keys.

For naming the vehicle of a malformed element in an error: the element failed its
Struct, so its id is looked up in the plain decoded JSON, along keys taken from the
Structs (no key is spelt twice).
"""

from __future__ import annotations

from msgspec import Struct, structs

__all__ = ["json_key", "integer_at"]


def json_key(struct: type[Struct], attribute: str) -> str:
    """The JSON key of one attribute of a schema Struct."""
    return next(f.encode_name for f in structs.fields(struct) if f.name == attribute)


def integer_at(value: object, keys: tuple[str, ...]) -> int | None:
    """The integer found down ``keys`` in nested dicts, or None when there is none."""
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None

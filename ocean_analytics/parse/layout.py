"""The byte layout of a compact half-hour object, for reading many at once.

A half hour of the answer is ``{"end":"HH:mm","libelleEquipement":"<label>",
"start":"HH:mm","useDuration":<seconds>}`` with its four keys in some order,
without spaces. Its bytes are fixed except for the two times (always five
bytes), the label and the seconds: around those two variable values lie three
runs of fixed length (the last may be empty), the :class:`Fixed` parts
``head``, ``middle`` and ``tail`` of a :class:`Layout`, then the closing ``}``.
The layout is learnt from the key order of the answer's first half hour; every
other half hour must match it byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["FIELDS", "TIMES", "Fixed", "Layout", "Value", "fixed_runs"]

FIELDS = ("end", "libelleEquipement", "start", "useDuration")
"""The keys of a half-hour object (the documentation's order)."""

TIMES = ("end", "start")
"""The keys whose value is a five-byte ``HH:mm`` string."""

_TIME_BYTES = 5
_LABEL, _SECONDS = FIELDS[1], FIELDS[3]


@dataclass(frozen=True)
class Fixed:
    """A run of fixed length of a half-hour object: literal bytes with holes for times.

    Attributes
    ----------
    size : int
        Its length in bytes.
    pattern, mask : numpy.ndarray
        uint64 words of its bytes padded with zeros to whole words (``pattern``),
        and of 0xFF over the literal bytes and 0 over the holes and padding (``mask``).
    holes : dict
        ``{time key: offset of its five bytes}`` in this run.
    """

    size: int
    pattern: np.ndarray
    mask: np.ndarray
    holes: dict[str, int]

    @classmethod
    def of(cls, pieces: list[bytes | str]) -> Fixed:
        """The run of literal ``bytes`` pieces and time keys (``str``, a five-byte hole)."""
        literal, holes = bytearray(), {}
        for piece in pieces:
            if isinstance(piece, str):
                holes[piece] = len(literal)
                literal += b"\0" * _TIME_BYTES
            else:
                literal += piece
        size = len(literal)
        width = -(-size // 8) * 8
        pattern = np.zeros(width, dtype=np.uint8)
        pattern[:size] = np.frombuffer(bytes(literal), dtype=np.uint8)
        mask = np.zeros(width, dtype=np.uint8)
        mask[:size] = 0xFF
        for offset in holes.values():
            mask[offset : offset + _TIME_BYTES] = 0
        return cls(size, pattern.view(np.uint64), mask.view(np.uint64), holes)

    @property
    def width(self) -> int:
        """The bytes read to check it: its size rounded up to whole words."""
        return 8 * len(self.pattern)


@dataclass(frozen=True)
class Layout:
    """The fixed runs of a compact half-hour object with its keys in one order.

    Attributes
    ----------
    head, middle, tail : Fixed
        From ``{`` to the first variable value, between the two, and from the
        second to the closing ``}`` (excluded: the objects are found by it).
        A label's quotes belong to the fixed runs.
    label_first : bool
        True when the label comes before the seconds.
    """

    head: Fixed
    middle: Fixed
    tail: Fixed
    label_first: bool

    @classmethod
    def of(cls, keys: tuple[str, ...]) -> Layout | None:
        """The layout for the keys in this order; None unless they are :data:`FIELDS`."""
        if sorted(keys) != sorted(FIELDS) or len(keys) != len(FIELDS):
            return None
        values: dict[str, Value] = {key: [b'"', key, b'"'] for key in TIMES}
        values.update({_LABEL: ([b'"'], [b'"']), _SECONDS: ([], [])})
        head, middle, tail = fixed_runs(keys, values)
        return cls(head, middle, tail, keys.index(_LABEL) < keys.index(_SECONDS))

    @property
    def least_size(self) -> int:
        """The fewest bytes of an object: an empty label, one digit and ``}``."""
        return self.head.size + self.middle.size + self.tail.size + 2


Value = list[bytes | str] | tuple[list[bytes | str], list[bytes | str]]
"""How a key's value is written in a compact object: its pieces (literal ``bytes``, and
``str`` for a five-byte hole) when its length is fixed; for a value of varying length,
the pieces just before it and just after it (a label's quotes)."""


def fixed_runs(keys: tuple[str, ...], values: dict[str, Value]) -> tuple[Fixed, ...]:
    """The fixed runs of a compact JSON object with ``keys`` in this order, cut at each
    value of varying length: one more run than there are such values, the first from
    the ``{``, the last up to the closing ``}`` (excluded)."""
    runs: list[list[bytes | str]] = [[b"{"]]
    for i, key in enumerate(keys):
        runs[-1].append((b"," if i else b"") + b'"' + key.encode() + b'":')
        value = values[key]
        if isinstance(value, tuple):
            before, after = value
            runs[-1] += before
            runs.append(list(after))
        else:
            runs[-1] += value
    return tuple(Fixed.of(run) for run in runs)

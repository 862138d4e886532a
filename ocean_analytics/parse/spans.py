"""Cutting the half-hour lists out of an answer's JSON text, without decoding it.

Nearly all the bytes of an answer are its ``usePerHalfHour`` lists. The fast
path of :func:`~ocean_analytics.parse_usage` reads them a column at a time
(:mod:`.parse_scan`) and decodes the small remainder, the *rest*, with orjson.
This module finds the lists and makes the rest with byte searches only:

- each compact ``"usePerHalfHour":[...]`` (a list holding no ``[``) is found,
- in the rest its list is replaced by the marker string ``"\\u0001"``; the walk
  of the rest meets the markers in the order of the text, so the k-th day it
  meets holds the k-th list.

Nothing here decides that the answer is well formed: a list cut at a ``]``
inside a string, a key in an unexpected place or an unusual layout leaves a
rest or a list that fails to read, a marker where no day expects one (more
lists than days), or a day without its marker, and the caller then walks the
whole answer exactly. No string of the answer can hold the marker (U+0001) unless
the text spells ``\\u0001``, so a text containing that is not cut at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["MARK", "MARKER_TEXT", "Cut", "Lists", "cut_half_hours", "cut_lists", "find_lists", "kept_between"]

MARK = "\x01"
"""The marker string that stands for a cut list in the rest (U+0001)."""

_KEY = b'"usePerHalfHour":['
_ESCAPED_MARK = b"\\u0001"
MARKER_TEXT = b'"\\u0001"'
"""The marker as JSON text."""


@dataclass(frozen=True)
class Lists:
    """Where the half-hour lists of one answer's text are.

    Attributes
    ----------
    text : bytes
        The answer's JSON text.
    opening, closing : numpy.ndarray
        int64 positions of each list's ``[`` and just after its ``]``.
    """

    text: bytes
    opening: np.ndarray
    closing: np.ndarray

    def __len__(self) -> int:
        return len(self.opening)

    def list_text(self, k: int) -> bytes:
        """The JSON text of this answer's list ``k``."""
        return self.text[self.opening[k] : self.closing[k]]


@dataclass
class Cut:
    """The texts of one or more answers, cut apart.

    Attributes
    ----------
    rests : list of bytes
        One JSON text per answer, each ``usePerHalfHour`` list replaced by a marker.
    lists : list of Lists
        The lists of each answer, in the order of its text.
    """

    rests: list[bytes] = field(default_factory=list)
    lists: list[Lists] = field(default_factory=list)


def cut_half_hours(texts: list[bytes]) -> Cut | None:
    """Cut the ``usePerHalfHour`` lists out of answers' JSON texts.

    Parameters
    ----------
    texts : list of bytes
        The UTF-8 JSON text of each answer.

    Returns
    -------
    Cut or None
        None when a text spells the marker's character (``\\u0001``).
    """
    cut = Cut()
    for text in texts:
        if text.find(b"\\") >= 0 and _ESCAPED_MARK in text:
            return None
        rest, lists = cut_lists(text, _KEY, MARKER_TEXT)
        cut.rests.append(rest)
        cut.lists.append(lists)
    return cut


def cut_lists(text: bytes, key: bytes, stand_in: bytes) -> tuple[bytes, Lists]:
    """Cut every list that follows ``key`` and holds no ``[`` out of a JSON text.

    Parameters
    ----------
    text : bytes
        A JSON text.
    key : bytes
        The bytes just before each list, ending with its ``[`` (``b'"usePerHalfHour":['``).
    stand_in : bytes
        The JSON text put in the rest where each list was.

    Returns
    -------
    tuple of (bytes, Lists)
        The rest, and where the lists are in ``text``.
    """
    opening, closing = find_lists(text, key)
    lists = Lists(text, np.array(opening, dtype=np.int64), np.array(closing, dtype=np.int64))
    return stand_in.join(kept_between(text, opening, closing)), lists


def find_lists(text: bytes, key: bytes) -> tuple[list[int], list[int]]:
    """Where every list that follows ``key`` and holds no ``[`` is: the positions of
    their ``[`` and just after their ``]``, in the order of the text."""
    find, opening, closing = text.find, [], []
    start = find(key)
    while start >= 0:
        begin = start + len(key) - 1
        end = find(b"]", begin) + 1
        if end and find(b"[", begin + 1, end) < 0:
            opening.append(begin)
            closing.append(end)
            start = find(key, end)
        else:
            start = find(key, begin + 1)
    return opening, closing


def kept_between(text: bytes, opening: list[int], closing: list[int]) -> list[bytes]:
    """The pieces of ``text`` around the lists at ``opening`` / ``closing``: one more
    than there are lists."""
    return [text[done:begin] for done, begin in zip([0, *closing], [*opening, len(text)])]

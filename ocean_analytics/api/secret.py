"""A string that never shows itself: for passwords and tokens."""

from __future__ import annotations

__all__ = ["Secret"]


class Secret:
    """Hold a password or a token so that no repr, str, log or traceback shows it.

    Parameters
    ----------
    value : str
        The secret. Read it back with :meth:`reveal`, only where it is sent.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself, to put in a request and nowhere else."""
        return self._value

    def redact(self, text: str) -> str:
        """``text`` with every occurrence of the secret replaced by ``***``."""
        return text.replace(self._value, "***") if self._value else text

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __reduce__(self):
        raise TypeError("a Secret is not pickled, so that it is never written anywhere")

"""The error bodies of the Ocean web services as msgspec Structs.

The only module of the package that spells their keys. The platform's documentation
shows ``{"oceanStatus": "badParameters", "message": "Utilisateur n'a pas d'Individu !"}``,
alone or, for some services, in a list of such objects. Spring's own error pages
(``{"status": 400, "error": "Bad Request", "message": ..., "path": ...}``) and OAuth-style
``error_description`` or ``detail`` keys are read too, as a gateway in front of the
platform may answer them. Keys not named here are ignored.
"""

from __future__ import annotations

from msgspec import Struct, field

__all__ = ["ErrorBody", "ERROR_BODY"]


class ErrorBody(Struct, frozen=True, gc=False):
    """One error object: the platform's status word and its message, or a Spring error.

    Every key is optional and typed loosely (a gateway may send anything); a key of the
    wrong type makes the whole body unreadable as an error, and its text is shown
    instead.
    """

    ocean_status: str | None = field(name="oceanStatus", default=None)
    message: str | None = None
    error: str | None = None
    error_description: str | None = None
    detail: str | None = None
    status: int | str | None = None

    def words(self) -> str | None:
        """What the server says: its message, else the first other explanation, else None."""
        for text in (self.message, self.error_description, self.error, self.detail):
            if text and text.strip():
                return text
        return None


ERROR_BODY = ErrorBody | list[ErrorBody]
"""The type of a whole error body: one object or a list of them."""

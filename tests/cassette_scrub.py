"""Scrubbing secrets and personal data out of cassettes as they are recorded (vcrpy hooks).

The ``X-AUTH-TOKEN`` header, the login and password in the authentication
body and the token in its answer are replaced by placeholders, so a cassette
holds nothing that could log in anywhere. The people of an answer (the fleet
listing's ``chauffeur``, a platform user's ``individu``) keep their ids but every
text of theirs (name, e-mail, phone) becomes a placeholder: even the simulator's
fake drivers are not kept, so that a cassette recorded elsewhere holds no one.
"""

from __future__ import annotations

import json

PLACEHOLDER_LOGIN = "<LOGIN>"
PLACEHOLDER_PASSWORD = "<PASSWORD>"
PLACEHOLDER_TOKEN = "<TOKEN>"
PLACEHOLDER_PERSON = "<PERSON>"
PEOPLE_KEYS = ("chauffeur", "individu")
"""Keys of the answers whose object is a person (the documented driver and user records)."""
AUTH_PATH = "/restapi/auth/authenticate2"


def vcr_settings() -> dict:
    """The vcrpy configuration every cassette test uses."""
    return {
        "match_on": ["method", "path", "query"],
        "filter_headers": [("X-AUTH-TOKEN", PLACEHOLDER_TOKEN), ("Cookie", None), ("Set-Cookie", None)],
        "before_record_request": scrub_request,
        "before_record_response": scrub_response,
        "decode_compressed_response": True,
    }


def scrub_request(request):
    """Replace the login and password of an authentication body by placeholders."""
    if request.path.endswith(AUTH_PATH) and request.body:
        body = json.loads(request.body)
        body["login"] = PLACEHOLDER_LOGIN
        body["password"] = PLACEHOLDER_PASSWORD
        request.body = json.dumps(body).encode()
        _set_length(request.headers, len(request.body))
    return request


def scrub_response(response: dict) -> dict:
    """Replace the token of an authentication answer, and the texts of every person of an
    answer, by placeholders."""
    body = response.get("body", {}).get("string", b"")
    if body[:1] == b"{" and b'"token"' in body:
        decoded = json.loads(body)
        decoded["token"] = PLACEHOLDER_TOKEN
        _replace_body(response, decoded)
    elif any(f'"{key}"'.encode() in body for key in PEOPLE_KEYS):
        _replace_body(response, _without_people(json.loads(body)))
    return response


def _without_people(value):
    """``value`` with every text of the objects under :data:`PEOPLE_KEYS` replaced."""
    if isinstance(value, list):
        return [_without_people(item) for item in value]
    if not isinstance(value, dict):
        return value
    return {
        key: _person(item) if key in PEOPLE_KEYS and isinstance(item, dict) else _without_people(item)
        for key, item in value.items()
    }


def _person(record: dict) -> dict:
    return {
        key: PLACEHOLDER_PERSON if isinstance(item, str) else _without_people(item)
        for key, item in record.items()
    }


def _replace_body(response: dict, decoded) -> None:
    response["body"]["string"] = json.dumps(decoded, ensure_ascii=False).encode()
    _set_length(response.get("headers", {}), len(response["body"]["string"]), listed=True)


def _set_length(headers, length: int, *, listed: bool = False) -> None:
    """Make Content-Length tell the scrubbed body's length, not the secret's."""
    for name in list(headers):
        if name.lower() == "content-length":
            headers[name] = [str(length)] if listed else str(length)

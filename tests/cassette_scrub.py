"""Scrubbing secrets out of cassettes as they are recorded (vcrpy hooks).

The ``X-AUTH-TOKEN`` header, the login and password in the authentication
body and the token in its answer are replaced by placeholders, so a cassette
holds nothing that could log in anywhere.
"""

from __future__ import annotations

import json

PLACEHOLDER_LOGIN = "<LOGIN>"
PLACEHOLDER_PASSWORD = "<PASSWORD>"
PLACEHOLDER_TOKEN = "<TOKEN>"
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
    """Replace the token of an authentication answer by a placeholder."""
    body = response.get("body", {}).get("string", b"")
    if body[:1] == b"{" and b'"token"' in body:
        decoded = json.loads(body)
        decoded["token"] = PLACEHOLDER_TOKEN
        response["body"]["string"] = json.dumps(decoded).encode()
        _set_length(response.get("headers", {}), len(response["body"]["string"]), listed=True)
    return response


def _set_length(headers, length: int, *, listed: bool = False) -> None:
    """Make Content-Length tell the scrubbed body's length, not the secret's."""
    for name in list(headers):
        if name.lower() == "content-length":
            headers[name] = [str(length)] if listed else str(length)

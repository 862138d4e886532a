"""Redirects: the token and the password never leave the base URL's origin (scheme, host,
port); a redirect elsewhere is refused by name, one within the origin is followed."""

from __future__ import annotations

import pytest
from hostile_servers import AUTH, BASE, DAY, PASSWORD, TOKEN, USAGE, HostileServer, ocean, token_answer

import ocean_analytics as oa

pytestmark = pytest.mark.live


def redirect(status: int, location: str):
    return lambda exchange: exchange.send(status, b"", [("Location", location)])


def assert_never_asked(other: HostileServer) -> None:
    assert other.seen == []  # neither the token nor the password reached it


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_data_get_redirected_to_another_port_is_refused_naming_the_origin(status):
    with HostileServer(ocean()) as other:
        target = f"{other.base_url}{USAGE}?vehIds=5&key=query-not-shown"
        with (
            HostileServer(ocean(duree=redirect(status, target))) as home,
            pytest.raises(oa.OceanConnectionError) as info,
        ):
            home.client().get(USAGE, DAY)
        assert_never_asked(other)
    message = str(info.value)
    assert f"redirected to {other.origin}" in message and "query-not-shown" not in message
    assert f"http://127.0.0.1:{home.port}" in message and "base_url" in message
    assert info.value.endpoint == USAGE and info.value.status == status


@pytest.mark.parametrize("status", [307, 308])
def test_a_login_redirected_to_another_origin_keeps_the_password_home(status):
    with HostileServer(ocean()) as other:
        with HostileServer(ocean(login=redirect(status, other.base_url + AUTH))) as home:
            with pytest.raises(oa.OceanConnectionError, match=f"redirected to {other.origin}") as info:
                home.client().get(USAGE, DAY)
            assert [(s.method, s.path) for s in home.seen] == [("POST", AUTH)]
        assert_never_asked(other)
    assert info.value.endpoint == AUTH


def test_another_scheme_on_the_same_host_and_port_is_another_origin():
    with HostileServer(ocean()) as home:
        moved = f"https://127.0.0.1:{home.port}{BASE}{USAGE}"
        home.script = ocean(duree=redirect(302, moved))
        with pytest.raises(oa.OceanConnectionError, match=f"redirected to https://127.0.0.1:{home.port}"):
            home.client().get(USAGE, DAY)
        assert home.paths() == [AUTH, USAGE]  # nothing sent to the https address


def test_a_redirect_within_the_origin_is_followed_with_the_token():
    moved = BASE + "/restapi/moved/duree"
    with HostileServer(
        ocean(
            duree=redirect(302, moved + "?vehIds=5"),
            **{"/restapi/moved/duree": lambda ex: ex.send(200, b"[]")},
        )
    ) as home:
        assert home.client().get(USAGE, DAY) == b"[]"
        followed = home.seen[-1]
        assert followed.path == "/restapi/moved/duree" and followed.query == {"vehIds": ["5"]}
        assert followed.headers["X-AUTH-TOKEN"] == TOKEN


def test_a_login_moved_within_the_origin_by_307_keeps_its_body():
    moved = "/restapi/auth/moved"
    with HostileServer(ocean(login=redirect(307, BASE + moved), **{moved: token_answer})) as home:
        assert home.client().get(USAGE, DAY) == b"[]"
        assert [(s.method, s.path) for s in home.seen] == [("POST", AUTH), ("POST", moved), ("GET", USAGE)]
        assert PASSWORD.encode() in home.seen[1].body


def test_a_redirect_loop_within_the_origin_ends():
    with HostileServer(ocean(duree=redirect(302, BASE + USAGE))) as home:
        with pytest.raises(oa.OceanConnectionError, match="redirects"):
            home.client().get(USAGE, DAY)
        assert 2 <= home.paths().count(USAGE) <= 11

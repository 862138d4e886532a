"""Simulator: lifecycle, serve() and the command line, and the pytest fixtures."""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
import time

import pytest
import requests
from test_simulator_support import Api

from ocean_analytics.simulator import SilentBox, Simulator, SimulatorConfig, StuckInput, serve
from ocean_analytics.simulator.__main__ import build_parser, config_from_args, main

pytestmark = pytest.mark.live


def test_start_stop_without_a_context_manager_frees_the_port():
    sim = Simulator(seed=5)
    with pytest.raises(RuntimeError, match="start"):
        _ = sim.base_url
    sim.start()
    url = sim.base_url
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/ocean-3\.0\.0", url)
    Api(sim)  # a keep-alive connection stays open: stop must not hang on it
    sim.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(url + "/restapi/dioUtilisation/duree", timeout=2)


def test_keyword_settings_override_the_config():
    sim = Simulator(SimulatorConfig(seed=1, clock="Europe/Paris"), seed=3)
    assert (sim.config.seed, sim.config.clock) == (3, "Europe/Paris")


def test_serve_prints_the_url_and_logins_and_serves_until_stopped():
    out, stop = io.StringIO(), threading.Event()
    thread = threading.Thread(
        target=serve, args=(SimulatorConfig(seed=9),), kwargs={"out": out, "stop": stop}
    )
    thread.start()
    deadline = time.monotonic() + 5
    while "password" not in out.getvalue() and time.monotonic() < deadline:
        time.sleep(0.02)
    printed = out.getvalue()
    url = re.search(r"http://127\.0\.0\.1:\d+/ocean-3\.0\.0", printed).group(0)
    multi = Simulator(seed=9).accounts["multi"]
    assert multi.login in printed and multi.password in printed
    login = requests.post(
        url + "/restapi/auth/authenticate2",
        json={"login": multi.login, "password": multi.password},
        timeout=5,
    )
    assert login.status_code == 200
    stop.set()
    thread.join(5)
    assert not thread.is_alive()


def test_command_line_options_become_settings():
    args = build_parser().parse_args(
        [
            "--port",
            "0",
            "--seed",
            "5",
            "--clock",
            "Europe/Paris",
            "--no-idle-days",
            "--period-key",
            "totalUserPerEquipementForPeriod",
            "--max-cells",
            "100",
            "--rate-limit",
            "2.5",
        ]
    )
    config = config_from_args(args)
    assert (config.port, config.seed, config.clock, config.list_idle_days) == (0, 5, "Europe/Paris", False)
    assert (config.period_key, config.max_cells, config.rate_limit_per_s) == (
        "totalUserPerEquipementForPeriod",
        100,
        2.5,
    )


def test_command_line_sets_the_platform_settings_and_silent_boxes():
    args = build_parser().parse_args(
        [
            "--error-body",
            "list",
            "--silent-days",
            "omitted",
            "--missing-values",
            "omitted",
            "--noncommunicant-status",
            "403",
            "--unknown-plates",
            "404",
            "--silent-box",
            "100123",
            "--silent-box",
            "100456:2024-10-14::Boîtier débranché",
            "--silent-box",
            "100789:2024-10-20:2024-10-02",
        ]
    )
    config = config_from_args(args)
    assert (
        config.error_body,
        config.silent_days,
        config.missing_values,
        config.noncommunicant_status,
        config.unknown_plates,
    ) == ("list", "omitted", "omitted", 403, "404")
    assert config.silent_boxes == (
        SilentBox(100123),
        SilentBox(100456, last_communication=dt.date(2024, 10, 14), reason="Boîtier débranché"),
        SilentBox(100789, last_communication=dt.date(2024, 10, 20), installed=dt.date(2024, 10, 2)),
    )
    scenarios = config_from_args(
        build_parser().parse_args(
            [
                "--stuck-input",
                "100123:Grue auxiliaire:2024-10-07:2024-10-09",
                "--holiday",
                "2024-11-01",
                "--holiday",
                "2024-11-11",
                "--holiday-rest-share",
                "0.8",
                "--idle-vehicle",
                "100456",
            ]
        )
    )
    assert scenarios.stuck_inputs == (
        StuckInput(100123, "Grue auxiliaire", dt.date(2024, 10, 7), dt.date(2024, 10, 9)),
    )
    assert (scenarios.holidays, scenarios.holiday_rest_share, scenarios.idle_vehicles) == (
        (dt.date(2024, 11, 1), dt.date(2024, 11, 11)),
        0.8,
        (100456,),
    )
    defaults = config_from_args(build_parser().parse_args([]))
    assert (defaults.error_body, defaults.silent_boxes, defaults.noncommunicant_status) == ("object", (), 200)
    assert (defaults.stuck_inputs, defaults.holidays, defaults.idle_vehicles) == ((), (), ())


def test_command_line_refuses_a_bad_silent_box(capsys):
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["--silent-box", "100123:14/10/2024"])
    assert exit_.value.code == 2
    assert "ID[:LAST" in capsys.readouterr().err


def test_command_line_refuses_a_bad_clock(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--clock", "Nowhere/City"])
    assert exit_.value.code == 2
    assert "clock" in capsys.readouterr().err


def test_fixtures_give_started_simulators(simulator, simulator_factory):
    other = simulator_factory(seed=4, vehicles_per_customer=2)
    assert simulator.port != other.port
    assert [len(c.vehicles) for c in other.customers] == [2, 2, 2]
    assert Api(other).duree(None, "01/03/2024", "01/03/2024").status_code == 200

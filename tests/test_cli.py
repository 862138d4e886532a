"""The command line's own behaviour: demo, simulate, help and exit codes."""

import datetime as dt
import re
import subprocess
import sys
from collections import defaultdict

import pytest
import requests

from ocean_analytics.api.connect import demo_simulator
from ocean_analytics.cli.main import main


def test_demo_prints_the_fleet_and_its_ranking(capsys):
    assert main(["demo", "--start", "2024-10-01", "--end", "2024-10-07"]) == 0
    out = capsys.readouterr().out
    sim = demo_simulator("UTC")
    customer = sim.accounts["single"].customer_ids[0]
    answer = sim.answer(customer, None, dt.date(2024, 10, 1), dt.date(2024, 10, 7))
    hours = defaultdict(int)
    for element in answer:
        for day in element["dailyDioUtilisation"]:
            for label, seconds in day["dayTotalUsePerEquipement"].items():
                hours[element["vehicle"]["id"], label] += seconds
    assert f"Usage 2024-10-01..2024-10-07 (7 days, api_tz='UTC'), {len(answer)} vehicles" in out
    table = out.split("calendar basis: 24 h a day):\n")[1].strip().splitlines()[1:]
    assert len(table) == len(hours)  # one line per vehicle x equipment the answer reported
    printed = sorted(float(line.split()[-3]) for line in table)
    assert printed == pytest.approx(sorted(round(s / 3600, 1) for s in hours.values()))


def test_simulate_serves_until_stopped():
    process = subprocess.Popen(
        [sys.executable, "-m", "ocean_analytics.cli.main", "simulate", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        first = process.stdout.readline()
        base_url = re.search(r"(http://127\.0\.0\.1:\d+/ocean-3\.0\.0)", first).group(1)
        login_line = process.stdout.readline()
        login, password = re.search(r"login (\S+)\s+password (\S+)", login_line).groups()
        answer = requests.post(
            base_url + "/restapi/auth/authenticate2", json={"login": login, "password": password}, timeout=5
        )
        assert answer.status_code == 200 and len(answer.json()["token"]) >= 32
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for command in ("demo", "simulate"):
        assert re.search(rf"^\s+{command}\s+\S", out, re.MULTILINE)


def test_unknown_command_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["fly"])
    assert info.value.code == 2
    assert "invalid choice: 'fly'" in capsys.readouterr().err


def test_an_ocean_error_is_one_line_on_stderr_and_exit_1(capsys):
    assert main(["demo", "--start", "2024-10-07", "--end", "2024-10-01"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("ocean-analytics demo: error: start (2024-10-07) is after end (2024-10-01)")


def test_debug_shows_the_traceback():
    with pytest.raises(Exception, match="after end"):
        main(["--debug", "demo", "--start", "2024-10-07", "--end", "2024-10-01"])


def test_fetch_help_names_every_frame(capsys):
    from ocean_analytics.usage import FRAMES

    with pytest.raises(SystemExit) as info:
        main(["fetch", "--help"])
    assert info.value.code == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "comma-separated: " + ", ".join(FRAMES) + " (default: all five)" in help_text

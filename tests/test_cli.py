"""The command line's own behaviour: demo, simulate, help, exit codes, and one voice: every wrong
command line one line on stderr and exit 2 before anything starts, the same option and the
same list syntax in every command."""

import datetime as dt
import json
import os
import re
import socket
import subprocess
import sys
import zoneinfo
from collections import defaultdict

import pytest
import requests

from ocean_analytics.api.connect import demo_simulator
from ocean_analytics.cli.main import build_parser, main


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


def test_a_port_in_use_is_one_line_and_exit_1(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["simulate", "--port", str(port)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert f"port {port} on 127.0.0.1 is in use: give another --port, or 0 for a free one" in err


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


def test_a_failed_work_is_one_line_on_stderr_and_exit_1_and_leaves_no_folder(capsys, tmp_path):
    status = main(
        [
            "fetch",
            "--demo",
            "--start",
            "2024-10-01",
            "--end",
            "2024-10-07",
            "--plates",
            "ZZ-999-ZZ",
            "--output",
            str(tmp_path / "out"),
        ]
    )
    out, err = capsys.readouterr()
    assert (status, out) == (1, "")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("ocean-analytics fetch: error: Unknown plate(s) for this customer: ZZ-999-ZZ")
    assert list(tmp_path.iterdir()) == []  # the folder is made only once the fetch succeeded


def test_debug_shows_the_traceback():
    with pytest.raises(Exception, match="is after --end"):
        main(["--debug", "demo", "--start", "2024-10-07", "--end", "2024-10-01"])


def test_fetch_help_names_every_frame(capsys):
    from ocean_analytics.usage import FRAMES

    with pytest.raises(SystemExit) as info:
        main(["fetch", "--help"])
    assert info.value.code == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "separated by commas or spaces: " + ", ".join(FRAMES) + " (default: all five)" in help_text


# -- every wrong command line: one line on stderr, exit 2, before anything starts ---------------
STARTED = (
    "nbclient",
    "jupyter_client",
    "ipykernel",
    "requests",
    "ocean_analytics.simulator",
    "ocean_analytics.fetch",
    "ocean_analytics.report",
)
"""What a wrong command line must not load: no kernel, no HTTP client, no simulator, no fetch."""
PROBE = """
import json, sys
from ocean_analytics.cli.main import build_parser, main
try:
    code = main(sys.argv[2:])
except SystemExit as exit_:
    code = exit_.code
with open(sys.argv[1], "w") as stream:
    json.dump({"code": code, "modules": sorted(sys.modules)}, stream)
"""
IN_TWO_DAYS = (dt.date.today() + dt.timedelta(days=2)).isoformat()
WEEK = ["--start", "2024-10-01", "--end", "2024-10-07"]
REVERSED = ["--start", "2024-10-07", "--end", "2024-10-01"]
FUTURE = ["--start", "2024-10-01", "--end", IN_TWO_DAYS]


def run_apart(argv, cwd, tmp_path):
    """Run the command line in a fresh interpreter in ``cwd``, with no account and the cache under
    ``tmp_path``; return (exit status, stdout, stderr, the modules it loaded)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OCEAN_")}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    probe = tmp_path / "probe.json"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(probe), *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr  # the probe ran to its end
    seen = json.loads(probe.read_text())
    return seen["code"], done.stdout, done.stderr, set(seen["modules"])


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (
            ["demo", "--api-tz", "Europe/Pariss"],
            "unknown time zone 'Europe/Pariss': did you mean Europe/Paris?",
        ),
        (["fetch", "--demo", *WEEK, "--api-tz", "Europe/Pariss"], "unknown time zone 'Europe/Pariss'"),
        (["report", "--demo", "--tz", "Europe/Pariss"], "unknown time zone 'Europe/Pariss'"),
        (
            ["report", "--demo", "--api-tz", "Mars/Olympus"],
            "argument --api-tz: unknown time zone 'Mars/Olympus'",
        ),
        (["simulate", "--port", "99999"], "argument --port: '99999' is not a TCP port: give 0 to 65535"),
        (["simulate", "--port", "-1"], "argument --port: '-1' is not a TCP port"),
        (["simulate", "--port", "80a"], "'80a' is not a TCP port"),
        (
            ["simulate", "--seed", str(2**63)],
            f"'{2**63}' is not a seed: give a whole number from 0 to 2**63 - 1",
        ),
        (["simulate", "--seed", "-1"], "'-1' is not a seed"),
        (["demo", *REVERSED], "--start 2024-10-07 is after --end 2024-10-01"),
        (["report", "--demo", *REVERSED], "--start 2024-10-07 is after --end 2024-10-01"),
        (["fetch", "--demo", *REVERSED], "--start 2024-10-07 is after --end 2024-10-01"),
        (["demo", *FUTURE], f"--end {IN_TWO_DAYS} is in the future (today is "),
        (["report", "--demo", *FUTURE], f"--end {IN_TWO_DAYS} is in the future"),
        (["fetch", "--demo", *FUTURE], f"--end {IN_TWO_DAYS} is in the future"),
        (["report", "--demo", "--holidays", "XX"], "XX: no public holidays known for the country XX"),
        (
            ["report", "--demo", "--holidays", "FR-99"],
            "FR-99: FR has no subdivision 99 (its subdivisions: 57, ",
        ),
        (
            ["report", "--demo", "--holidays", "FR-"],
            "give a country code (FR), a country and subdivision (FR-57)",
        ),
        (
            ["demo", "--start", "2024-13-01", "--end", "2024-10-07"],
            "'2024-13-01' is not a day of the calendar",
        ),
        (["demo", "--start", "2024-10-01"], "--start needs --end: give both days"),
        (["report", "--demo", "--start", "2024-10-01"], "--start needs --end: give both days"),
        (["report", "--demo", "--end", "2024-10-01"], "--end needs --start"),
        (["report", "--demo", "--format", "html"], "unrecognized arguments: --format html"),
        (["report", "--demo", "--refresh"], "--refresh renews the cache, which is off with --demo"),
        (["fetch", "--demo", *WEEK, "--refresh"], "--refresh renews the cache, which is off with --demo"),
        (
            ["fetch", *WEEK, "--no-cache", "--refresh"],
            "--refresh renews the cache, which is off: add --cache",
        ),
        (["report", "--demo", "--shift", "07:15-19:00"], "'07:15-19:00' is not a shift"),
        (["report", "--demo", "--shift", "07:00-07:00"], "'07:00-07:00' is an empty shift"),
        (["report", "--demo", "--output", "missing/report.html"], "its folder"),
        (["fetch", "--demo", *WEEK, "--output", "missing/dir/x"], "its folder"),
        (
            ["fetch", "--demo", *WEEK, "--format", "excel", "--output", "oct.csv"],
            "--format excel writes one workbook: give --output a file name ending .xlsx, e.g. 'oct.xlsx'",
        ),
        (
            ["fetch", "--demo", *WEEK, "--format", "csv", "--output", "oct.csv"],
            "--format csv writes one file per frame in a folder: give --output a folder name such as 'oct'",
        ),
        (["fetch", "--demo", *WEEK, "--vehicles", "2147483648"], "vehicle id 2147483648 is out of range"),
        (
            ["fetch", "--demo", *WEEK, "--tz", "UTC"],
            "unrecognized arguments: --tz UTC; the API's clock is --api-tz",
        ),
        (["demo", "--tz", "UTC"], "the API's clock is --api-tz"),
        (["simulate", "--tz", "UTC"], "the API's clock is --api-tz"),
    ],
)
def test_a_wrong_command_line_is_one_line_and_exit_2_before_anything_starts(argv, says, tmp_path):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    code, out, err, modules = run_apart(argv, cwd, tmp_path)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith(f"ocean-analytics {argv[0]}: error: "), err
    assert says in err
    assert err.rstrip().endswith(f"(see ocean-analytics {argv[0]} --help)")
    assert [name for name in STARTED if any(m == name or m.startswith(name + ".") for m in modules)] == []
    assert list(cwd.iterdir()) == [] and not (tmp_path / "cache").exists()


def test_holiday_errors_speak_the_command_line_not_python(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--demo", "--holidays", "FR-99"])
    err = capsys.readouterr().err
    assert "FR-99" in err and "('FR'" not in err


def test_holidays_are_read_as_the_package_writes_them():
    parse = build_parser().parse_args
    assert parse(["report", "--holidays", "fr-57"]).holidays == ("FR", "57")
    assert parse(["report", "--holidays", "FR-zone a"]).holidays == ("FR", "Zone A")
    assert parse(["report", "--holidays", "de"]).holidays == "DE"
    assert parse(["report", "--holidays", "None"]).holidays is None


@pytest.mark.parametrize("command", [["fetch", *WEEK], ["report"]])
@pytest.mark.parametrize(
    ("option", "words", "items"),
    [
        ("--vehicles", ["1201,1202", "1203"], [1201, 1202, 1203]),
        ("--vehicles", ["1201", "1202", "1203"], [1201, 1202, 1203]),
        ("--vehicles", ["1201, 1202,1203"], [1201, 1202, 1203]),
        ("--plates", ["AB-123-CD,EF-456-GH"], ["AB-123-CD", "EF-456-GH"]),
        ("--plates", ["AB-123-CD", "EF-456-GH", "AB-123-CD"], ["AB-123-CD", "EF-456-GH"]),
        ("--plates", ["AB 123 CD", "EF-456-GH"], ["AB 123 CD", "EF-456-GH"]),
    ],
)
def test_lists_take_commas_or_spaces_in_every_command(command, option, words, items):
    args = build_parser().parse_args([*command, option, *words])
    assert getattr(args, option[2:]) == items


def test_a_repeated_list_option_adds_its_items():
    args = build_parser().parse_args(["report", "--vehicles", "1,2", "--vehicles", "3"])
    assert args.vehicles == [1, 2, 3]


@pytest.mark.parametrize("command", [["demo"], ["simulate"], ["fetch", *WEEK], ["report"]])
def test_api_tz_is_the_api_clock_in_every_command(command):
    assert build_parser().parse_args([*command, "--api-tz", "Europe/Paris"]).api_tz == "Europe/Paris"


def test_tz_is_the_analyst_clock_of_the_report_only():
    args = build_parser().parse_args(["report", "--tz", "America/Santiago", "--api-tz", "UTC"])
    assert (args.tz, args.api_tz) == ("America/Santiago", "UTC")


def test_the_future_is_counted_on_the_api_clock(capsys):
    # Kiribati (UTC+14) is a day ahead of Pago Pago (UTC-11) for most of each day: its today is
    # in Pago Pago's future, so the same --end passes on one clock and is refused on the other.
    ahead = dt.datetime.now(zoneinfo.ZoneInfo("Pacific/Kiritimati")).date()
    behind = dt.datetime.now(zoneinfo.ZoneInfo("Pacific/Pago_Pago")).date()
    assert ahead > behind  # 25 hours apart: always a different calendar day or more
    period = ["--start", "2024-10-01", "--end", ahead.isoformat()]
    args = build_parser().parse_args(["demo", *period, "--api-tz", "Pacific/Kiritimati"])
    args.check(args)  # today on that clock: accepted
    with pytest.raises(SystemExit) as info:
        main(["demo", *period, "--api-tz", "Pacific/Pago_Pago"])
    assert info.value.code == 2
    assert f"(today is {behind.isoformat()} on Pacific/Pago_Pago)" in capsys.readouterr().err

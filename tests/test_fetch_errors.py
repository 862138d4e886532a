"""The errors people meet with ``ocean-analytics fetch``: one clear line on stderr, no traceback,
exit 1 (or 2 for a wrong command line), no secret shown, and no request when none is needed."""

import datetime as dt

import pytest

import ocean_analytics as oa
from ocean_analytics.cli import fetch as cli_fetch
from ocean_analytics.cli.main import main
from test_cli_fetch import use_account

pytestmark = pytest.mark.live

PERIOD = ["--start", "2024-10-01", "--end", "2024-10-02"]


@pytest.fixture
def account(monkeypatch, tmp_path, simulator):
    """The simulator's single-customer account in the OCEAN_* variables; the cache under tmp_path."""
    use_account(monkeypatch, simulator, tmp_path)
    return simulator.accounts["single"]


def fails(capsys, *argv):
    """Run ``fetch``; check exit 1 and a single error line; return that line."""
    status = main(["fetch", *argv])
    captured = capsys.readouterr()
    assert status == 1
    assert captured.out == "" and captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert captured.err.startswith("ocean-analytics fetch: error: ")
    return captured.err


def test_no_credentials_and_no_demo_says_what_to_set(capsys, monkeypatch, tmp_path):
    for name in ("OCEAN_LOGIN", "OCEAN_PASSWORD", "OCEAN_BASE_URL", "OCEAN_CUSTOMER_ID"):
        monkeypatch.delenv(name, raising=False)
    line = fails(capsys, *PERIOD, "--output", str(tmp_path / "out"))
    assert "set OCEAN_LOGIN and OCEAN_PASSWORD" in line and "--demo" in line


def test_a_wrong_password_names_the_login_and_never_a_password(capsys, monkeypatch, tmp_path, simulator, account):
    monkeypatch.setenv("OCEAN_PASSWORD", "not-" + account.password)
    line = fails(capsys, *PERIOD, "--output", str(tmp_path / "out"))
    assert f"Login refused for {account.login!r} (401" in line and "OCEAN_PASSWORD" in line
    assert account.password not in line
    assert [r.path for r in simulator.requests] == ["/restapi/auth/authenticate2"]


def test_an_unknown_plate_is_named(capsys, tmp_path, account):
    line = fails(capsys, *PERIOD, "--plates", "ZZ-999-ZZ", "--output", str(tmp_path / "out"))
    assert "Unknown plate(s) for this customer: ZZ-999-ZZ" in line


def test_a_period_in_the_future_is_refused_before_any_request(capsys, tmp_path, simulator, account):
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    line = fails(capsys, "--start", "2024-10-01", "--end", tomorrow.isoformat(), "--output", str(tmp_path / "out"))
    assert f"end ({tomorrow.isoformat()}) is in the future" in line
    assert simulator.requests == []


@pytest.mark.parametrize(("fmt", "output", "folder", "reason"), [
    ("parquet", "a-file/out", "a-file/out", "Not a directory"),
    ("csv", "a-file/out", "a-file/out", "Not a directory"),
    ("excel", "a-file/book.xlsx", "a-file", "it is a file"),  # the workbook's folder is a file
])
def test_an_output_that_cannot_be_written_is_refused_before_any_request(
        capsys, tmp_path, simulator, account, fmt, output, folder, reason):
    (tmp_path / "a-file").write_text("in the way")  # tests run as root: a file in the way, not a mode
    line = fails(capsys, *PERIOD, "--format", fmt, "--output", str(tmp_path / output))
    assert f"cannot write to the output folder '{tmp_path / folder}' ({reason})" in line
    assert simulator.requests == []


def test_refresh_without_the_cache_is_refused(capsys, tmp_path, simulator, account):
    line = fails(capsys, *PERIOD, "--refresh", "--no-cache", "--output", str(tmp_path / "out"))
    assert "--refresh renews the cache, which is off" in line
    assert simulator.requests == []


def test_frames_longer_than_an_excel_sheet_are_refused_and_nothing_is_written(capsys, tmp_path, monkeypatch, account):
    monkeypatch.setattr(cli_fetch, "EXCEL_MAX_ROWS", 10)
    line = fails(capsys, *PERIOD, "--format", "excel", "--output", str(tmp_path / "book.xlsx"))
    assert "do not fit an Excel sheet" in line and "'daily'" in line
    assert not (tmp_path / "book.xlsx").exists()


@pytest.mark.parametrize(("argv", "message"), [
    (["--start", "01/10/2024", "--end", "2024-10-02"], "'01/10/2024' is not a day: write it YYYY-MM-DD"),
    ([*PERIOD, "--vehicles", "12,x"], "vehicle ids are whole numbers such as 1201,1202; not 'x'"),
    ([*PERIOD, "--vehicles", "12,,13"], "holds an empty vehicle id"),
    ([*PERIOD, "--frames", "daily,weekly"], "unknown frame 'weekly'"),
    ([*PERIOD, "--vehicles", "1", "--plates", "AB-123-CD"], "not allowed with argument"),
    (["--start", "2024-10-01"], "the following arguments are required: --end"),
    ([*PERIOD, "--format", "xls"], "invalid choice: 'xls'"),
])
def test_a_wrong_command_line_exits_2(capsys, argv, message):
    with pytest.raises(SystemExit) as info:
        main(["fetch", *argv])
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_debug_shows_the_traceback(monkeypatch, tmp_path):
    monkeypatch.delenv("OCEAN_LOGIN", raising=False)
    monkeypatch.delenv("OCEAN_PASSWORD", raising=False)
    with pytest.raises(oa.ConfigurationError, match="OCEAN_LOGIN"):
        main(["--debug", "fetch", *PERIOD, "--output", str(tmp_path / "out")])

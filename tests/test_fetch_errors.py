"""The errors people meet with ``ocean-analytics fetch``: one clear line on stderr, no traceback,
exit 1 (or 2 for a wrong command line, found before any request), no secret shown, no request
when none is needed, and no folder or workbook left behind by a failed run."""

import datetime as dt

import pytest
from test_cli_fetch import use_account

import ocean_analytics as oa
from ocean_analytics.cli import files as cli_files
from ocean_analytics.cli.main import main

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


def refused(capsys, *argv):
    """Run ``fetch``; check exit 2, nothing on stdout and a single error line; return that line."""
    with pytest.raises(SystemExit) as info:
        main(["fetch", *argv])
    captured = capsys.readouterr()
    assert info.value.code == 2
    assert captured.out == "" and captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert captured.err.startswith("ocean-analytics fetch: error: ")
    return captured.err


def test_no_credentials_and_no_demo_says_what_to_set(capsys, monkeypatch, tmp_path):
    for name in ("OCEAN_LOGIN", "OCEAN_PASSWORD", "OCEAN_BASE_URL", "OCEAN_CUSTOMER_ID"):
        monkeypatch.delenv(name, raising=False)
    line = fails(capsys, *PERIOD, "--output", str(tmp_path / "out"))
    assert "set OCEAN_LOGIN and OCEAN_PASSWORD" in line and "--demo" in line
    assert not (tmp_path / "out").exists()


def test_a_wrong_password_names_the_login_and_never_a_password(
    capsys, monkeypatch, tmp_path, simulator, account
):
    monkeypatch.setenv("OCEAN_PASSWORD", "not-" + account.password)
    line = fails(capsys, *PERIOD, "--output", str(tmp_path / "out"))
    assert f"Login refused for {account.login!r} (401" in line and "OCEAN_PASSWORD" in line
    assert account.password not in line
    assert [r.path for r in simulator.requests] == ["/restapi/auth/authenticate2"]
    assert not (tmp_path / "out").exists()  # no empty folder left after a failed login


def test_an_unknown_plate_is_named(capsys, tmp_path, account):
    line = fails(capsys, *PERIOD, "--plates", "ZZ-999-ZZ", "--output", str(tmp_path / "out"))
    assert "Unknown plate(s) for this customer: ZZ-999-ZZ" in line
    assert not (tmp_path / "out").exists()


def test_a_period_in_the_future_is_refused_before_any_request(capsys, tmp_path, simulator, account):
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    line = refused(
        capsys, "--start", "2024-10-01", "--end", tomorrow.isoformat(), "--output", str(tmp_path / "out")
    )
    assert f"--end {tomorrow.isoformat()} is in the future" in line
    assert simulator.requests == [] and not (tmp_path / "out").exists()


def test_a_reversed_period_leaves_no_folder(capsys, tmp_path, simulator, account):
    line = refused(capsys, "--start", "2024-10-02", "--end", "2024-10-01", "--output", str(tmp_path / "out"))
    assert "--start 2024-10-02 is after --end 2024-10-01" in line
    assert simulator.requests == [] and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "case",
    [
        ("parquet", "a-file/out", "its folder '{tmp}/a-file' is a file"),
        ("csv", "a-file/out", "its folder '{tmp}/a-file' is a file"),
        (
            "excel",
            "a-file/book.xlsx",
            "its folder '{tmp}/a-file' is a file",
        ),  # the workbook's folder is a file
        ("parquet", "a-file", "--output '{tmp}/a-file' is a file: give the name of the folder to write"),
        ("excel", "a-folder.xlsx", "--output '{tmp}/a-folder.xlsx' is a folder: give the name of the file"),
        (
            "parquet",
            "missing/dir/out",
            "its folder '{tmp}/missing/dir' does not exist; create that folder first",
        ),
        ("excel", "missing/book.xlsx", "its folder '{tmp}/missing' does not exist"),
    ],
)
@pytest.mark.usefixtures("account")
def test_an_output_that_cannot_be_made_is_refused_before_any_request(capsys, tmp_path, simulator, case):
    fmt, output, says = case
    (tmp_path / "a-file").write_text("in the way")  # tests run as root: a file in the way, not a mode
    (tmp_path / "a-folder.xlsx").mkdir()
    line = refused(capsys, *PERIOD, "--format", fmt, "--output", str(tmp_path / output))
    assert says.format(tmp=tmp_path) in line
    assert simulator.requests == []
    assert not (tmp_path / "missing").exists()  # the tree is not made
    assert (tmp_path / "a-file").read_text() == "in the way"


@pytest.mark.parametrize(
    "case",
    [
        ("excel", "oct.csv", "--format excel writes one workbook: give --output a file name ending .xlsx"),
        ("excel", "book", "give --output a file name ending .xlsx, e.g. 'book.xlsx', not 'book'"),
        ("csv", "oct.csv", "--format csv writes one file per frame in a folder"),
        ("parquet", "oct.xlsx", "give --output a folder name such as 'oct', not the file name 'oct.xlsx'"),
    ],
)
@pytest.mark.usefixtures("account")
def test_an_output_that_contradicts_the_format_is_refused(capsys, tmp_path, monkeypatch, simulator, case):
    fmt, output, says = case
    monkeypatch.chdir(tmp_path)
    line = refused(capsys, *PERIOD, "--format", fmt, "--output", output)
    assert says in line
    assert simulator.requests == [] and not (tmp_path / output).exists()
    assert not (tmp_path / f"{output}.xlsx").exists()


def test_refresh_without_the_cache_is_refused(capsys, tmp_path, simulator, account):
    line = refused(capsys, *PERIOD, "--refresh", "--no-cache", "--output", str(tmp_path / "out"))
    assert "--refresh renews the cache, which is off" in line
    assert simulator.requests == []


def test_frames_longer_than_an_excel_sheet_are_refused_and_nothing_is_written(
    capsys, tmp_path, monkeypatch, account
):
    monkeypatch.setattr(cli_files, "EXCEL_MAX_ROWS", 10)
    line = fails(capsys, *PERIOD, "--format", "excel", "--output", str(tmp_path / "book.xlsx"))
    assert "do not fit an Excel sheet" in line and "'daily'" in line
    assert [p.name for p in tmp_path.iterdir()] == ["cache"]  # no workbook, no scratch file


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--start", "01/10/2024", "--end", "2024-10-02"], "'01/10/2024' is not a day: write it YYYY-MM-DD"),
        ([*PERIOD, "--vehicles", "12,x"], "vehicle ids are whole numbers such as 1201,1202; not 'x'"),
        ([*PERIOD, "--vehicles", "12,,13"], "holds an empty vehicle id"),
        ([*PERIOD, "--frames", "daily,weekly"], "unknown frame 'weekly'"),
        ([*PERIOD, "--vehicles", "1", "--plates", "AB-123-CD"], "not allowed with argument"),
        (["--start", "2024-10-01"], "the following arguments are required: --end"),
        ([*PERIOD, "--format", "xls"], "invalid choice: 'xls'"),
    ],
)
def test_a_wrong_command_line_exits_2(capsys, argv, message):
    assert message in refused(capsys, *argv)


def test_debug_shows_the_traceback(monkeypatch, tmp_path):
    monkeypatch.delenv("OCEAN_LOGIN", raising=False)
    monkeypatch.delenv("OCEAN_PASSWORD", raising=False)
    with pytest.raises(oa.ConfigurationError, match="OCEAN_LOGIN"):
        main(["--debug", "fetch", *PERIOD, "--output", str(tmp_path / "out")])

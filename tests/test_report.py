"""``ocean-analytics report``: one self-contained HTML file that renders offline and leaks nothing.

The rendered report is opened in headless Chromium (Debian's ``chromium``), cut off
from every host name, to check that the figures really render without a network.
"""

from __future__ import annotations

import base64
import datetime as dt
import html as html_module
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import matplotlib.image as mpimg
import nbformat
import numpy as np
import pytest
from nbclient.exceptions import CellExecutionError
from test_notebooks import OCEAN_VARIABLES, no_account  # noqa: F401  (a fixture)

from ocean_analytics import AuthenticationError, InvalidArgumentError, OceanError
from ocean_analytics.api.connect import demo_period
from ocean_analytics.cli.main import main
from ocean_analytics.report.render import (
    cell_error,
    inject_parameters,
    notebook_html,
    output_title,
    report_notebook,
)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FIGURES = 5  # daily use, ranking, weekly trend, weekday x time profile, off-shift use
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
C0_BLUE = np.array([31, 119, 180]) / 255  # matplotlib's first colour: the ranking's bars
PAGE_PX = 1200
NBCONVERT_PLACEHOLDER = "No description has been provided for this image"
SHOTS = os.environ.get("OCEAN_REPORT_SHOTS")  # a folder to keep the full-page screenshots in
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--hide-scrollbars",
    "--virtual-time-budget=3000",
]
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (apt-get install chromium; "
    ".ci/run installs it when run as root with apt)",
)


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``ocean-analytics report --demo`` rendered once for the module (no account in the environment)."""
    with pytest.MonkeyPatch.context() as patch:
        for name in OCEAN_VARIABLES:
            patch.delenv(name, raising=False)
        output = tmp_path_factory.mktemp("demo") / "report.html"
        assert main(["report", "--demo", "--output", str(output)]) == 0
    return output


def _account_env(monkeypatch: pytest.MonkeyPatch, sim, password: str | None = None) -> str:
    """Point the environment at the simulator's single-customer account; returns its password."""
    account = sim.accounts["single"]
    for name in OCEAN_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OCEAN_BASE_URL", sim.base_url)
    monkeypatch.setenv("OCEAN_LOGIN", account.login)
    monkeypatch.setenv("OCEAN_PASSWORD", password or account.password)
    return password or account.password


# -- the HTML file --------------------------------------------------------------------------
def test_demo_report_is_one_self_contained_file(demo_report: Path, capsys) -> None:
    html = demo_report.read_text(encoding="utf-8")
    images = re.findall(r'<img[^>]*\ssrc="data:image/png;base64,([^"]+)"', html)
    assert len(images) == FIGURES
    assert all(base64.b64decode(data).startswith(PNG_SIGNATURE) for data in images)
    # Nothing fetched at view time: every src/href is inline data or an anchor in the page.
    links = re.findall(r'\b(?:src|href)\s*=\s*["\']([^"\']*)', html)
    assert [link for link in links if not link.startswith(("data:", "#"))] == []
    assert not re.search(r"@import|url\(\s*['\"]?(?:https?:)?//", html)
    assert "<script src" not in html
    # No code unless asked, but the prose and the period are there.
    assert "oa.fetch_usage(" not in html and "demo_period()" not in html
    last = demo_period()[1]
    assert f"<title>Fleet utilisation report: Demo fleet, 1\u2013{last.day} {last:%B %Y}</title>" in html
    assert "the embedded Ocean simulator" in html


@needs_chromium
def test_figures_render_in_headless_chromium_offline(demo_report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "page.png"
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--hide-scrollbars",
            "--window-size=1200,9000",
            "--virtual-time-budget=3000",
            f"--screenshot={shot}",
            "--dump-dom",
            demo_report.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    dom = done.stdout
    assert len(re.findall(r'<img[^>]*\ssrc="data:image/png;base64,', dom)) == FIGURES
    assert "2. Utilisation ranking" in dom and "9. Do the API" in dom
    pixels = mpimg.imread(shot)[..., :3]
    assert pixels.shape[:2] == (9000, 1200)
    assert pixels.std() > 0.1  # not a blank page
    blue = np.all(np.abs(pixels - C0_BLUE) < 0.03, axis=-1).sum()
    assert blue > 20_000  # the ranking's bars (and others) were decoded and painted


# -- four lengths of report, each rendered once and opened at 1,200 px ------------------------
def _periods() -> dict[str, tuple[dt.date, dt.date]]:
    """7 days, a month, a quarter and a year, all ending on the demo period's last day."""
    first, last = demo_period()
    quarter = (first.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    quarter = (quarter - dt.timedelta(days=1)).replace(day=1)
    return {
        "week": (last - dt.timedelta(days=6), last),
        "month": (first, last),
        "quarter": (quarter, last),
        "year": (last.replace(year=last.year - 1) + dt.timedelta(days=1), last),
    }


def _title_period(first: dt.date, last: dt.date) -> str:
    """The period as the title writes it, with en dashes (\\u2013): "24-30 November 2026"."""
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}\u2013{last.day} {last:%B %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%B} \u2013 {last.day} {last:%B %Y}"
    return f"{first.day} {first:%B %Y} \u2013 {last.day} {last:%B %Y}"


def _expected_rows(first: dt.date, last: dt.date, step: str) -> tuple[int, int]:
    """(rows, partial rows) of the trend table: days, Monday weeks or calendar months touched."""
    if step == "day":
        return (last - first).days + 1, 0
    if step == "week":
        monday = first - dt.timedelta(days=first.weekday())
        rows = (last - monday).days // 7 + 1
        return rows, (first.weekday() != 0) + (last.weekday() != 6)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    month_end = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return months, (first.day != 1) + (last != month_end)


STEPS = {"week": "day", "month": "week", "quarter": "week", "year": "month"}

# Appended to a copy of a report (never to the report itself, which holds no script): what
# Chromium laid out, written into the page for --dump-dom to return.
MEASURE = """<script>
window.addEventListener("load", () => {
  const right = (e) => Math.ceil(e.getBoundingClientRect().right);
  const out = {
    inner: window.innerWidth,
    scroll: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight,
    tables: [...document.querySelectorAll("table")].map(
      (t) => ({right: right(t), scroll: t.scrollWidth, client: t.parentElement.clientWidth})),
    images: [...document.querySelectorAll("img")].map(
      (i) => ({right: right(i), alt: i.getAttribute("alt"), decoded: i.naturalWidth})),
    h1: [...document.querySelectorAll("h1")].map((h) => h.textContent.replace("\\u00b6", "").trim()),
  };
  const pre = document.createElement("pre");
  pre.id = "measured";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def _chromium(page: Path, profile: Path, *extra: str) -> str:
    done = subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


@pytest.fixture(scope="module", params=list(_periods()))
def period_report(request, demo_report: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One demo report per period (the month is the default report), rendered once for the module."""
    name = request.param
    first, last = _periods()[name]
    if name == "month":
        output = demo_report
    else:
        output = tmp_path_factory.mktemp(name) / "report.html"
        with pytest.MonkeyPatch.context() as patch:
            for variable in OCEAN_VARIABLES:
                patch.delenv(variable, raising=False)
            argv = ["report", "--demo", "--start", f"{first}", "--end", f"{last}", "--output", str(output)]
            assert main(argv) == 0
    return {"name": name, "first": first, "last": last, "path": output}


def test_each_period_says_its_fleet_and_period_and_trends_at_its_step(period_report: dict) -> None:
    html = period_report["path"].read_text(encoding="utf-8")
    first, last, step = period_report["first"], period_report["last"], STEPS[period_report["name"]]
    title = f"Fleet utilisation report: Demo fleet, {_title_period(first, last)}"
    assert f"<title>{title}</title>" in html
    assert re.search(rf"<h1[^>]*>{re.escape(title)}", html)
    days = (last - first).days + 1
    assert f"per {step}, for a period of {days} days" in html
    assert "midnight Europe/Paris, the fleet's clock" in html  # one clock for the whole report
    assert "Equipment type" not in html and "equipment type" not in html
    assert "stand out" not in html
    rows, partial = _expected_rows(first, last, step)
    table = html[html.index(f"utilisation (%) per {step}") :]
    table = table[: table.index("</table>")]
    assert table.count("<tr>") == rows  # cut after the header row
    assert len(re.findall(r"\(partial: \d+ of \d+ days\)", table)) == partial
    shown = set(re.findall(r'data-mime-type="([^"]*)"', html))
    assert shown == {"text/markdown", "text/html"}  # prose and tables: no stderr, no bare text output


@needs_chromium
def test_each_period_fits_a_1200_px_page_and_describes_every_figure(
    period_report: dict, tmp_path: Path
) -> None:
    page = tmp_path / "measured.html"
    html = period_report["path"].read_text(encoding="utf-8")
    page.write_text(html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    dom = _chromium(page, tmp_path / "profile", f"--window-size={PAGE_PX},2000", "--dump-dom")
    found = json.loads(
        re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S).group(1).replace("&quot;", '"')
    )
    assert found["inner"] == PAGE_PX
    assert found["scroll"] <= PAGE_PX  # nothing runs off the page
    assert found["tables"] and all(t["right"] <= PAGE_PX for t in found["tables"])
    assert all(t["scroll"] <= t["client"] for t in found["tables"])  # no table scrolls inside itself
    assert len(found["images"]) == FIGURES
    assert all(i["decoded"] > 0 and i["right"] <= PAGE_PX for i in found["images"])
    alts = [i["alt"] or "" for i in found["images"]]
    assert [alt[: len("Figure 1:")] for alt in alts] == [f"Figure {k}:" for k in range(1, FIGURES + 1)]
    assert all(NBCONVERT_PLACEHOLDER not in alt and len(alt) > 80 for alt in alts)
    period = _title_period(period_report["first"], period_report["last"])
    assert all(period in alt for alt in alts)
    assert found["h1"] == [f"Fleet utilisation report: Demo fleet, {period}"]
    # The whole page, kept where OCEAN_REPORT_SHOTS says (to be looked at), else in tmp_path.
    shots = Path(SHOTS) if SHOTS else tmp_path
    shot = shots / f"report-{period_report['name']}.png"
    _chromium(
        period_report["path"],
        tmp_path / "profile",
        f"--window-size={PAGE_PX},{found['height']}",
        f"--screenshot={shot}",
    )
    pixels = mpimg.imread(shot)[..., :3]
    assert pixels.shape[:2] == (found["height"], PAGE_PX) and pixels.std() > 0.1


PLATE_LINES = """<script>
window.addEventListener("load", () => {
  const lines = [...document.querySelectorAll("td")]
    .filter((td) => /^[A-Z]{2}-[0-9]{3}-[A-Z]{2}$/.test(td.textContent.trim()))
    .map((td) => {
      const r = document.createRange();
      r.selectNodeContents(td);
      return r.getClientRects().length;
    });
  const pre = document.createElement("pre");
  pre.id = "measured";
  pre.textContent = JSON.stringify(lines);
  document.body.appendChild(pre);
});
</script>"""


@needs_chromium
def test_plates_stay_in_one_piece_in_a_narrow_window(demo_report: Path, tmp_path: Path) -> None:
    page = tmp_path / "plates.html"
    page.write_text(demo_report.read_text(encoding="utf-8").replace("</body>", PLATE_LINES + "</body>"))
    dom = _chromium(page, tmp_path / "profile", "--window-size=800,2000", "--dump-dom")
    lines = json.loads(re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S).group(1))
    assert len(lines) > 20 and set(lines) == {1}  # every plate of every table on one line


def test_the_print_styles_keep_headings_with_what_follows(demo_report: Path) -> None:
    html = demo_report.read_text(encoding="utf-8")
    styles = html[html.rindex("@media print") :]  # ours, after the lab theme's
    styles = styles[: styles.index("</style>")]
    assert re.search(r"h1, h2, h3, h4 \{ break-after: avoid;", styles)
    assert re.search(r"\.jp-RenderedImage, img, tr[^{]*\{ break-inside: avoid;", styles)
    assert re.search(r":has\(\.jp-RenderedImage\) \{ break-after: avoid;", styles)  # figure + caption


def test_an_image_takes_its_alt_text_from_its_output_metadata() -> None:
    png = base64.b64encode(PNG_SIGNATURE + b"rest").decode()
    described = nbformat.v4.new_output(
        "display_data", data={"image/png": png}, metadata={"image/png": {"alt": 'Figure 9: "x" < y'}}
    )
    bare = nbformat.v4.new_output("display_data", data={"image/png": png})
    cell = nbformat.v4.new_code_cell("figure()", outputs=[described, bare])
    html = notebook_html(nbformat.v4.new_notebook(cells=[cell]))
    alts = [html_module.unescape(alt) for _, alt in re.findall(r"<img[^>]*\salt=([\"'])(.*?)\1", html)]
    assert alts == ['Figure 9: "x" < y', NBCONVERT_PLACEHOLDER]  # nbconvert's own word where none is given


def test_the_page_title_is_the_one_a_cell_displayed() -> None:
    titled = nbformat.v4.new_output(
        "display_data", data={"text/markdown": "# T"}, metadata={"ocean_report_title": "Fleet X, 1-7 May"}
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("t()", outputs=[titled])])
    assert output_title(notebook) == "Fleet X, 1-7 May"
    assert "<title>Fleet X, 1-7 May</title>" in notebook_html(notebook)
    assert output_title(nbformat.v4.new_notebook()) is None


# -- parameters, an account from the environment, secrets and the cache ----------------------
def _raw_days(sim, customer_id: int, ids: list[int] | None, start, end) -> dict[int, list[dict]]:
    """``{vehicle id: its day elements}`` of the simulator's raw answer."""
    return {
        item["vehicle"]["id"]: item["dailyDioUtilisation"]
        for item in sim.answer(customer_id, ids, start, end)
    }


def _all_dio_gaps(days: list[dict]) -> int:
    """Days whose all-equipment total differs from the sum of the equipment's totals."""
    return sum(
        day["dailyDurationSecForAllDio"] != sum(day["dayTotalUsePerEquipement"].values()) for day in days
    )


@pytest.mark.slow
def test_report_on_an_account_honours_the_options_holds_no_secret_and_reruns_from_the_cache(
    simulator_factory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys
) -> None:
    import datetime as dt

    sim = simulator_factory(all_dio="union")  # all-DIO = time with any equipment on
    password = _account_env(monkeypatch, sim)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the user's cache folder
    customer = sim.accounts["single"].customer_ids[0]
    first, last = dt.date(2024, 10, 7), dt.date(2024, 10, 13)
    raw = _raw_days(sim, customer, None, first, last)
    chosen = [v for v in sim.vehicles(customer) if _all_dio_gaps(raw[v.id])][:2]
    assert len(chosen) == 2
    others = [v.plate for v in sim.vehicles(customer) if v not in chosen]
    options = [
        "--plates",
        ",".join(v.plate for v in chosen),
        "--start",
        "2024-10-07",
        "--end",
        "2024-10-13",
        "--shift",
        "08:00-17:00",
        "--tz",
        "UTC",
        "--holidays",
        "none",
        "--include-input",
        "--cache",
    ]
    status = main(["report", "--output", str(tmp_path / "account.html"), *options])
    assert status == 0, capsys.readouterr().err
    html = (tmp_path / "account.html").read_text(encoding="utf-8")
    assert "Monday 07 October 2024 to Sunday 13 October 2024, both included (7 days)" in html
    assert "08:00 to 17:00 on UTC, Mon, Tue, Wed, Thu, Fri; no holidays" in html
    used_s = sum(sum(day["dayTotalUsePerEquipement"].values()) for v in chosen for day in raw[v.id])
    assert f"<td>Hours of use</td>\n<td>{used_s / 3600:,.1f} h</td>" in html
    gaps = sum(_all_dio_gaps(raw[v.id]) for v in chosen)
    assert f"<strong>{gaps} disagreement(s)</strong>" in html
    assert all(v.plate in html for v in chosen) and not any(p in html for p in others)
    assert "# Parameters given for this run" in html  # --include-input: the code is shown
    assert '<span class="n">fetch_usage</span>' in html
    tokens = {
        value for r in sim.requests for key, value in r.headers.items() if key.lower() == "x-auth-token"
    }
    assert tokens and password
    assert [secret for secret in (password, *tokens) if secret in html] == []
    assert str(tmp_path / "account.html") in capsys.readouterr().out

    asked = len(sim.requests)
    assert main(["report", "--output", str(tmp_path / "again.html"), *options]) == 0
    assert len(sim.requests) == asked  # the same period again: everything came from the cache
    again = (tmp_path / "again.html").read_text(encoding="utf-8")
    assert f"<td>Hours of use</td>\n<td>{used_s / 3600:,.1f} h</td>" in again


@pytest.mark.slow
def test_a_wrong_password_is_one_line_naming_the_login(
    simulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys
) -> None:
    wrong = _account_env(monkeypatch, simulator, password="not-the-password-42")
    output = tmp_path / "report.html"
    assert main(["report", "--output", str(output), "--start", "2024-10-07", "--end", "2024-10-08"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("ocean-analytics report: error: ")
    assert simulator.accounts["single"].login in err
    assert wrong not in err and "Traceback" not in err
    assert not output.exists()


# -- errors found before any work -------------------------------------------------------------
@pytest.mark.usefixtures("no_account")
def test_without_credentials_it_says_how_to_set_them(tmp_path: Path, capsys) -> None:
    output = tmp_path / "report.html"
    assert main(["report", "--output", str(output)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "OCEAN_LOGIN" in err and "OCEAN_PASSWORD" in err and "--demo" in err
    assert not output.exists()


def refused(capsys, *argv: str) -> str:
    """Run ``report``; check exit 2, nothing on stdout and one error line; return that line."""
    with pytest.raises(SystemExit) as exit_:
        main(["report", *argv])
    out, err = capsys.readouterr()
    assert exit_.value.code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("ocean-analytics report: error: ")
    return err


def test_an_output_folder_that_does_not_exist_is_one_line(tmp_path: Path, capsys) -> None:
    output = tmp_path / "missing" / "report.html"
    err = refused(capsys, "--demo", "--output", str(output))  # a wrong command line: 2, not 1
    assert str(tmp_path / "missing") in err and "does not exist" in err
    assert not (tmp_path / "missing").exists()


def test_an_output_that_is_a_folder_is_refused(tmp_path: Path, capsys) -> None:
    assert "is a folder" in refused(capsys, "--demo", "--output", str(tmp_path))


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--shift", "7-19", "HH:MM-HH:MM"),
        ("--shift", "07:10-19:00", "on half hours"),
        ("--tz", "Mars/Olympus", "IANA"),
        ("--api-tz", "Europe/Pariss", "did you mean Europe/Paris?"),
        ("--start", "01/10/2024", "YYYY-MM-DD"),
        ("--vehicles", "12,abc", "vehicle ids"),
        ("--holidays", "FR-", "country code"),
        ("--holidays", "XX", "no public holidays known for the country XX"),
        ("--holidays", "FR-99", "FR-99: FR has no subdivision 99"),
    ],
)
def test_a_bad_option_is_a_usage_error(option: str, value: str, says: str, capsys) -> None:
    assert says in refused(capsys, "--demo", option, value)


def test_an_option_of_another_command_is_refused_by_this_one(capsys) -> None:
    err = refused(capsys, "--demo", "--format", "html")
    assert "unrecognized arguments: --format html (see ocean-analytics report --help)" in err


@pytest.mark.slow
@pytest.mark.usefixtures("no_account")
def test_api_tz_is_the_clock_the_report_fetches_on(tmp_path: Path, capsys) -> None:
    output = tmp_path / "tokyo.html"
    assert (
        main(
            [
                "report",
                "--demo",
                "--api-tz",
                "Asia/Tokyo",
                "--tz",
                "UTC",
                "--start",
                "2024-10-07",
                "--end",
                "2024-10-08",
                "--output",
                str(output),
            ]
        )
        == 0
    ), capsys.readouterr().err
    assert "Asia/Tokyo" in output.read_text(encoding="utf-8")  # the only place it can come from
    assert "OCEAN_API_TZ" not in os.environ  # set for the kernel only


# -- parameter injection and errors of cells --------------------------------------------------
def _parameters_index(notebook: nbformat.NotebookNode) -> int:
    return next(i for i, c in enumerate(notebook.cells) if "parameters" in c.metadata.get("tags", []))


def test_parameters_go_in_a_new_cell_right_after_the_parameters_cell() -> None:
    notebook = report_notebook()
    injected = inject_parameters(
        notebook, {"start": "2024-10-01", "vehicles": [1, 2], "shift": ("06:00", "14:00"), "holidays": None}
    )
    at = _parameters_index(injected)
    cell = injected.cells[at + 1]
    assert cell.metadata["tags"] == ["injected-parameters"]
    assert cell.source.splitlines()[1:] == [
        "start = '2024-10-01'",
        "vehicles = [1, 2]",
        "shift = ('06:00', '14:00')",
        "holidays = None",
    ]
    assert len(injected.cells) == len(notebook.cells) + 1  # the original is left as it was


def test_a_value_that_is_not_a_literal_is_refused() -> None:
    import datetime as dt

    with pytest.raises(InvalidArgumentError, match="plain literal"):
        inject_parameters(report_notebook(), {"start": dt.date(2024, 10, 1)})
    with pytest.raises(InvalidArgumentError, match="identifier"):
        inject_parameters(report_notebook(), {"not a name": 1})


def test_a_notebook_without_a_parameters_cell_is_refused() -> None:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    with pytest.raises(InvalidArgumentError, match="0 cells tagged 'parameters'"):
        inject_parameters(notebook, {"x": 2})


def test_a_cell_error_keeps_its_ocean_class_and_message() -> None:
    failed = CellExecutionError("Traceback ...", "AuthenticationError", "Login refused for 'a@b.fr'.")
    error = cell_error(failed)
    assert type(error) is AuthenticationError and str(error) == "Login refused for 'a@b.fr'."
    other = cell_error(CellExecutionError("Traceback ...", "ZeroDivisionError", "division by zero"))
    assert type(other) is OceanError and "ZeroDivisionError: division by zero" in str(other)


# -- the command line's parameters ------------------------------------------------------------
def test_the_api_is_asked_for_the_fleet_clock_unless_told_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    from ocean_analytics.cli.main import build_parser
    from ocean_analytics.cli.report import report_clock

    monkeypatch.delenv("OCEAN_API_TZ", raising=False)
    parse = build_parser().parse_args
    assert report_clock(parse(["report"])) == "Europe/Paris"  # the notebook's tz
    assert report_clock(parse(["report", "--tz", "Asia/Tokyo"])) == "Asia/Tokyo"
    assert report_clock(parse(["report", "--tz", "Asia/Tokyo", "--api-tz", "UTC"])) == "UTC"
    monkeypatch.setenv("OCEAN_API_TZ", "America/Santiago")
    assert report_clock(parse(["report", "--tz", "Asia/Tokyo"])) == "America/Santiago"


def test_the_command_passes_the_options_given_and_only_those(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys
) -> None:
    from ocean_analytics.report import render

    given: list[dict] = []

    def fake_render(output, parameters, **options):
        given.append(dict(parameters))
        Path(output).write_text("<html></html>", encoding="utf-8")
        return Path(output)

    monkeypatch.setattr(render, "render_report", fake_render)
    output = str(tmp_path / "r.html")
    assert main(["report", "--demo", "--tz", "Asia/Tokyo", "--fleet", "Acme BTP", "-o", output]) == 0
    assert main(["report", "--demo", "--api-tz", "UTC", "--holidays", "none", "-o", output]) == 0
    assert given == [
        {"demo": True, "tz": "Asia/Tokyo", "fleet": "Acme BTP"},  # api_tz left to the notebook: tz
        {"demo": True, "api_tz": "UTC", "holidays": None},
    ]


# -- frames of an earlier version: no sites, no coverage, no findings --------------------------
OLD_FRAMES = """# As read from a Parquet file of an earlier version: no listing or coverage columns,
# an underused without its silent rows apart, no findings.
import dataclasses

from ocean_analytics.frames import COVERAGE_COLUMNS, FLEET_COLUMNS, HAS_DATA

usage = dataclasses.replace(
    usage,
    daily=usage.daily.drop(columns=list(HAS_DATA)),
    vehicle_days=usage.vehicle_days.drop(columns=list(HAS_DATA)),
    vehicles=usage.vehicles.drop(columns=[*FLEET_COLUMNS, *COVERAGE_COLUMNS]),
)
new_underused = oa.underused
oa.underused = lambda *args, **kwargs: new_underused(*args, **kwargs).drop(
    columns=["status", "last_data_day", "silence_reason"], errors="ignore"
)
oa.findings = None
"""


@pytest.mark.slow
@pytest.mark.usefixtures("no_account")
def test_the_report_renders_on_frames_without_the_platform_columns(tmp_path: Path) -> None:
    from ocean_analytics.report.render import execute_notebook

    last = demo_period()[1]
    notebook = inject_parameters(
        report_notebook(), {"demo": True, "start": f"{last - dt.timedelta(days=6)}", "end": f"{last}"}
    )
    fetched = next(i for i, c in enumerate(notebook.cells) if "fetch" in c.metadata.get("tags", []))
    notebook.cells.insert(fetched + 1, nbformat.v4.new_code_cell(OLD_FRAMES))
    execute_notebook(notebook, cwd=tmp_path, timeout=120)
    outputs = [o for c in notebook.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) == FIGURES
    html = notebook_html(notebook)
    assert "The fleet listing gave no site for these vehicles: this section is empty." in html
    assert "The findings are not available in this version of ocean_analytics." in html
    assert "whose box went silent" not in html and ", on 3 site(s)" not in html

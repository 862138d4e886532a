"""``ocean-analytics fetch`` in-process: the files it writes, checked against the simulator's raw
JSON, on --demo and on an account from the environment; its cache, plates and progress bar."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from ocean_analytics.api.connect import demo_simulator
from ocean_analytics.cli.main import main
from ocean_analytics.usage import FRAMES

COLUMNS = ["vehicle_id", "date", "equipment", "use_s"]  # of daily, whose has_data is tested apart

pytestmark = pytest.mark.live

D = dt.date


def use_account(monkeypatch, sim, tmp_path, **overrides):
    """Point the OCEAN_* variables at the simulator's single-customer account; cache under tmp_path."""
    account = sim.accounts["single"]
    settings = {
        "OCEAN_BASE_URL": sim.base_url,
        "OCEAN_LOGIN": account.login,
        "OCEAN_PASSWORD": account.password,
        **overrides,
    }
    for name in ("OCEAN_CUSTOMER_ID", "OCEAN_API_TZ"):
        monkeypatch.delenv(name, raising=False)
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def raw_answer(sim, first, last, vehicle_ids=None):
    return sim.answer(sim.accounts["single"].customer_ids[0], vehicle_ids, first, last)


def day_of(text):
    return dt.datetime.strptime(text, "%d/%m/%Y").date()


def day_totals(answer):
    """``{(vehicle, day, label): seconds}`` as the answer's days list them."""
    return {
        (e["vehicle"]["id"], day_of(d["day"]), label): seconds
        for e in answer
        for d in e["dailyDioUtilisation"]
        for label, seconds in d["dayTotalUsePerEquipement"].items()
    }


def used_halves(answer):
    """``(vehicle, day, 'HH:mm', label, seconds)`` of every half hour with use."""
    return sorted(
        (e["vehicle"]["id"], day_of(d["day"]), h["start"], h["libelleEquipement"], h["useDuration"])
        for e in answer
        for d in e["dailyDioUtilisation"]
        for h in d["usePerHalfHour"]
        if h["useDuration"]
    )


def run(capsys, *argv):
    status = main(["fetch", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_demo_writes_one_parquet_file_per_frame(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    status, out, err = run(
        capsys, "--demo", "--start", "2024-10-01", "--end", "2024-10-03", "--output", str(tmp_path / "out")
    )
    assert (status, err) == (0, "")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(f"{n}.parquet" for n in FRAMES)
    answer = raw_answer(demo_simulator("UTC"), D(2024, 10, 1), D(2024, 10, 3))
    daily = pd.read_parquet(tmp_path / "out" / "daily.parquet")
    got = {(v, d.date(), str(e)): s for v, d, e, s in daily[COLUMNS].itertuples(index=False)}
    assert got == day_totals(answer)
    half_hours = pd.read_parquet(tmp_path / "out" / "half_hours.parquet")
    assert len(half_hours) == len(used_halves(answer))
    assert str(half_hours["start"].dtype) == "datetime64[ns, UTC]"
    assert out.count("\n") == 1 and out.startswith(
        f"Wrote 5 parquet file(s) in {tmp_path / 'out'} (rows: daily "
    )
    assert f"{len(answer)} vehicles, 2024-10-01..2024-10-03 on UTC" in out
    assert not (tmp_path / "cache").exists()  # no cache with --demo unless asked


def test_csv_of_chosen_frames_from_the_environment_account(capsys, tmp_path, monkeypatch, simulator):
    use_account(monkeypatch, simulator, tmp_path)
    a, b = (v.id for v in simulator.vehicles(simulator.accounts["single"].customer_ids[0])[1:3])
    status, out, err = run(
        capsys,
        "--start",
        "2024-10-01",
        "--end",
        "2024-10-04",
        "--vehicles",
        f"{a},{b}",
        "--format",
        "csv",
        "--frames",
        "period,half_hours",
        "--output",
        str(tmp_path / "out"),
    )
    assert (status, err) == (0, "")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["half_hours.csv", "period.csv"]
    answer = raw_answer(simulator, D(2024, 10, 1), D(2024, 10, 4), [a, b])
    period = pd.read_csv(tmp_path / "out" / "period.csv")
    assert {(v, e): s for v, e, s in period.itertuples(index=False)} == {
        (e["vehicle"]["id"], label): s
        for e in answer
        for label, s in e["totalUsePerEquipementForPeriod"].items()
    }
    halves = pd.read_csv(tmp_path / "out" / "half_hours.csv")
    got = sorted((v, d, start, e, s) for v, d, e, start, _, s in halves.itertuples(index=False))
    assert got == [
        (v, day.isoformat(), f"{day.isoformat()} {hhmm}:00+00:00", label, s)
        for v, day, hhmm, label, s in used_halves(answer)
    ]
    assert out.startswith(
        f"Wrote 2 csv file(s) in {tmp_path / 'out'} (rows: period {len(period)}, half_hours "
    )


@pytest.mark.filterwarnings("ignore:.*half hour\\(s\\) of an autumn clock change")
def test_excel_has_a_sheet_per_frame_and_wall_clock_times_beside_their_offsets(
    capsys, tmp_path, monkeypatch, simulator_factory
):
    sim = simulator_factory(clock="Europe/Paris", vehicles_per_customer=4)
    use_account(monkeypatch, sim, tmp_path)
    status, out, err = run(
        capsys,
        "--start",
        "2024-10-26",
        "--end",
        "2024-10-28",
        "--api-tz",
        "Europe/Paris",
        "--format",
        "excel",
        "--output",
        str(tmp_path / "book.xlsx"),
    )
    assert (status, err) == (0, "")
    assert out.startswith(f"Wrote workbook {tmp_path / 'book.xlsx'} (rows: daily ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx", "cache"]  # the path as given, only
    sheets = pd.read_excel(tmp_path / "book.xlsx", sheet_name=None)
    assert list(sheets) == list(FRAMES)
    halves = sheets["half_hours"]
    assert list(halves.columns) == [
        "vehicle_id",
        "date",
        "equipment",
        "start",
        "start_utc_offset",
        "end",
        "end_utc_offset",
        "use_s",
    ]
    answer = raw_answer(sim, D(2024, 10, 26), D(2024, 10, 28))
    got = sorted(
        (r.vehicle_id, r.start.strftime("%Y-%m-%d %H:%M"), r.equipment, r.use_s)
        for r in halves.itertuples(index=False)
    )
    assert got == sorted(
        (v, f"{day.isoformat()} {hhmm}", label, s) for v, day, hhmm, label, s in used_halves(answer)
    )
    offsets = halves.groupby(halves["start"].dt.day)["start_utc_offset"].unique()
    assert list(offsets[26]) == ["+02:00"] and list(offsets[28]) == [
        "+01:00"
    ]  # summer time, then winter time
    late = halves[(halves["start"].dt.day == 27) & (halves["start"].dt.hour >= 3)]
    assert set(late["start_utc_offset"]) <= {"+01:00"}
    daily = sheets["daily"]
    assert {(v, d.date(), e): s for v, d, e, s in daily[COLUMNS].itertuples(index=False)} == day_totals(
        answer
    )


def test_the_cache_makes_a_rerun_ask_nothing_and_refresh_asks_again(capsys, tmp_path, monkeypatch, simulator):
    use_account(monkeypatch, simulator, tmp_path)
    period = ["--start", "2024-10-01", "--end", "2024-10-02"]
    assert run(capsys, *period, "--output", str(tmp_path / "one"))[0] == 0
    simulator.clear_requests()
    assert run(capsys, *period, "--output", str(tmp_path / "two"))[0] == 0
    assert simulator.requests == []
    for name in FRAMES:
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "two" / f"{name}.parquet"),
            pd.read_parquet(tmp_path / "one" / f"{name}.parquet"),
        )
    assert (tmp_path / "cache" / "ocean-analytics" / "CACHEDIR.TAG").is_file()
    for flag in ("--refresh", "--no-cache"):
        simulator.clear_requests()
        assert run(capsys, *period, flag, "--output", str(tmp_path / "three"))[0] == 0
        assert [r.path for r in simulator.requests] == [
            "/restapi/auth/authenticate2",
            "/restapi/vehicule_engin/vehicles",
            "/restapi/noncommunicant/list",
            "/restapi/dioUtilisation/duree",
        ]


@pytest.mark.parametrize("spaced", [False, True], ids=["commas", "spaces"])
def test_plates_choose_the_vehicles(capsys, tmp_path, monkeypatch, simulator, spaced):
    use_account(monkeypatch, simulator, tmp_path)
    chosen = sorted(simulator.vehicles(simulator.accounts["single"].customer_ids[0])[3:5], key=lambda v: v.id)
    plates = [v.plate for v in chosen] if spaced else [",".join(v.plate for v in chosen)]
    status, _, err = run(
        capsys,
        "--start",
        "2024-10-01",
        "--end",
        "2024-10-01",
        "--plates",
        *plates,
        "--frames",
        "vehicles",
        "--format",
        "csv",
        "--output",
        str(tmp_path / "out"),
    )
    assert (status, err) == (0, "")
    vehicles = pd.read_csv(tmp_path / "out" / "vehicles.csv")
    assert list(zip(vehicles["vehicle_id"], vehicles["plate"], strict=True)) == [
        (v.id, v.plate) for v in chosen
    ]


def test_the_default_output_is_named_after_the_period_and_an_existing_folder_is_written_into(
    capsys, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    period = ["--demo", "--start", "2024-10-01", "--end", "2024-10-02"]
    assert run(capsys, *period, "--format", "excel", "--frames", "period")[0] == 0
    assert run(capsys, *period, "--format", "csv", "--frames", "period")[0] == 0
    folder = tmp_path / "ocean-usage_2024-10-01_2024-10-02"
    (folder / "notes.txt").write_text("mine")
    assert run(capsys, *period, "--format", "csv", "--frames", "daily")[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder.name, folder.name + ".xlsx"]
    assert sorted(p.name for p in folder.iterdir()) == ["daily.csv", "notes.txt", "period.csv"]
    assert (folder / "notes.txt").read_text() == "mine"


HOSTILE = ["=1+2", '=HYPERLINK("http://x.example/","clic")', "=cmd|' /C calc'!A0"]


def test_excel_writes_labels_plates_and_descriptions_as_text_never_formulas(tmp_path):
    import openpyxl

    from ocean_analytics.cli.files import write_frames

    vehicles = pd.DataFrame(
        {
            "vehicle_id": [1, 2, 3, 4],
            "plate": [HOSTILE[0], "AB-123-CD", None, "-2+3"],
            "description": [HOSTILE[1], "Grue =1", "@SUM(A1)", HOSTILE[2]],
        }
    )
    daily = pd.DataFrame(
        {"vehicle_id": [1, 2], "equipment": pd.Categorical([HOSTILE[2], "Benne"]), "use_s": [3600, 7200]}
    )
    target = tmp_path / "book.xlsx"
    assert write_frames({"vehicles": vehicles, "daily": daily}, target, "excel") == [target]
    book = openpyxl.load_workbook(target)
    cells = {
        (sheet.title, cell.coordinate): cell for sheet in book for row in sheet.iter_rows() for cell in row
    }
    for where, text in [
        (("vehicles", "B2"), HOSTILE[0]),
        (("vehicles", "C2"), HOSTILE[1]),
        (("vehicles", "C5"), HOSTILE[2]),
        (("daily", "B2"), HOSTILE[2]),
    ]:
        assert (cells[where].value, cells[where].data_type, cells[where].quotePrefix) == (text, "s", True)
    assert [c.data_type for c in cells.values()].count("f") == 0  # not one formula in the book
    plain = [cells["vehicles", "B3"], cells["vehicles", "B5"], cells["vehicles", "C3"], cells["daily", "B3"]]
    assert [(c.value, c.data_type, c.quotePrefix) for c in plain] == [
        ("AB-123-CD", "s", False),
        ("-2+3", "s", False),
        ("Grue =1", "s", False),
        ("Benne", "s", False),
    ]
    assert cells["daily", "C3"].value == 7200 and cells["daily", "C3"].data_type == "n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]  # no scratch file left


def test_a_fetch_of_several_requests_shows_a_progress_bar_on_stderr(capsys, tmp_path, monkeypatch, simulator):
    use_account(monkeypatch, simulator, tmp_path)
    status, out, err = run(
        capsys,
        "--start",
        "2024-09-01",
        "--end",
        "2024-10-15",
        "--no-cache",
        "--frames",
        "vehicle_days",
        "--output",
        str(tmp_path / "out"),
    )
    assert status == 0
    assert "Ocean usage" in err and "2/2" in err  # 45 days: two windows of at most 31
    assert out.count("\n") == 1 and out.startswith("Wrote 1 parquet file(s)")
    assert Path(tmp_path / "out" / "vehicle_days.parquet").is_file()

"""Fresh answers as stored rows: built from the cut text, they hold what the decoded answer holds."""

import datetime as dt

import orjson
import pyarrow as pa
import pytest

from ocean_analytics.store import answers as cache_answers, files as cache_files
from ocean_analytics.store.cache import UsageCache
from ocean_analytics.store.answers import answers_table
from ocean_analytics.store.records import USAGE_SCHEMA, records_from_answer, records_table
from ocean_analytics.api.plan import UsageRequest

D = dt.date
STAMP = dt.datetime(2024, 11, 5, 12, tzinfo=dt.timezone.utc)
HALVES = [{"end": "08:00", "libelleEquipement": "Grue", "start": "07:30", "useDuration": 600},
          {"end": "08:30", "libelleEquipement": "Grue", "start": "08:00", "useDuration": 300}]


def day(text, halves, **totals):
    return {"dailyDurationSecForAllDio": sum(totals.values()), "day": text,
            "dayTotalUsePerEquipement": totals, "usePerHalfHour": halves}


def answer(halves=HALVES, vehicle=None):
    """Vehicle 7 with 31 October (use) and 1 November (none) listed, 2 November not; vehicle 8 left out."""
    return [{"dailyDioUtilisation": [day("31/10/2024", halves, Grue=900), day("01/11/2024", [], Grue=0)],
             "totalUsePerEquipementForPeriod": {"Grue": 900, "Benne": 0},
             "vehicle": vehicle or {"id": 7, "description": "Grue n°1"}}]


REQUEST = UsageRequest((8, 7), D(2024, 10, 31), D(2024, 11, 3))
BEFORE = D(2024, 11, 3)  # the 3rd is today: never stored


def rows(table):
    return [{**row, "element": row["element"] and orjson.loads(row["element"]),
             "totals": orjson.loads(row["totals"]), "vehicle": row["vehicle"] and orjson.loads(row["vehicle"])}
            for row in table.to_pylist()]


def decoded_rows(body):
    """The rows of the whole decoded answer, by the records, in the stored order (month, vehicle, day)."""
    table = records_table(records_from_answer(REQUEST, orjson.loads(body), BEFORE, STAMP))
    return sorted(rows(table), key=lambda row: (row["day"].replace(day=1), row["vehicle_id"], row["day"]))


def test_rows_of_a_cut_answer_hold_the_answer_by_month_vehicle_and_day():
    table = answers_table([(REQUEST, orjson.dumps(answer()))], BEFORE, STAMP)
    assert table.schema.equals(USAGE_SCHEMA)
    assert [(r["vehicle_id"], r["day"]) for r in table.to_pylist()] == [
        (7, D(2024, 10, 31)), (8, D(2024, 10, 31)),
        (7, D(2024, 11, 1)), (7, D(2024, 11, 2)), (8, D(2024, 11, 1)), (8, D(2024, 11, 2))]
    seven_october, _, seven_first, seven_second, *eight = rows(table)
    assert seven_october["element"] == day("31/10/2024", HALVES, Grue=900)
    assert seven_october["totals"] == {"Grue": 900} and seven_october["all_dio_s"] == 900
    assert seven_first["element"] == day("01/11/2024", [], Grue=0)
    assert seven_second["element"] is None and seven_second["totals"] == {} and seven_second["all_dio_s"] == 0
    assert {r["vehicle"]["description"] for r in (seven_october, seven_first, seven_second)} == {"Grue n°1"}
    assert [r["labels"] for r in (seven_october, seven_first, seven_second)] == [["Grue", "Benne"]] * 3
    assert all(r["element"] is None and r["vehicle"] is None and r["labels"] == [] for r in eight)
    assert {r["fetched_at"] for r in table.to_pylist()} == {STAMP}


def test_the_half_hours_are_kept_as_the_answer_wrote_them():
    body = orjson.dumps(answer())
    element = answers_table([(REQUEST, body)], BEFORE, STAMP)["element"][0].as_py()
    assert element == orjson.dumps(day("31/10/2024", HALVES, Grue=900))  # the server's compact text


@pytest.mark.parametrize("body", [
    orjson.dumps(answer()),
    orjson.dumps(answer(), option=orjson.OPT_INDENT_2),  # spaces and newlines
    orjson.dumps(answer()).replace("n°1".encode(), b"n\\u00b01"),  # an escape: decoded whole
    orjson.dumps(answer([{**HALVES[0], "libelleEquipement": "Grue]"}])),  # a ] in a string: decoded whole
    orjson.dumps(answer([{**HALVES[0], "libelleEquipement": "Grue [2]"}])),  # a [ in a string: not cut
    orjson.dumps(answer([[1, 2]])),  # a list of lists: not cut
    orjson.dumps(answer(vehicle={"id": 7, "usePerHalfHour": [3, 4]})),  # a list cut outside a day
], ids=["compact", "indented", "escape", "bracket-in-label", "list-in-label", "nested", "in-vehicle"])
def test_rows_equal_those_of_the_decoded_answer(body):
    assert rows(answers_table([(REQUEST, body)], BEFORE, STAMP)) == decoded_rows(body)


def test_answers_are_merged_and_an_empty_fetch_has_no_rows():
    november = UsageRequest((7,), D(2024, 11, 1), D(2024, 11, 1))
    body = orjson.dumps(answer())
    table = answers_table([(november, body), (REQUEST, body)], BEFORE, STAMP)
    assert [(r["vehicle_id"], r["day"].isoformat()) for r in table.to_pylist()][2:5] == [
        (7, "2024-11-01"), (7, "2024-11-01"), (7, "2024-11-02")]  # both answers' 1 November, stably
    assert answers_table([], BEFORE, STAMP).equals(USAGE_SCHEMA.empty_table())


def test_a_large_element_column_is_cut_in_chunks_of_32_bit_offsets(monkeypatch):
    body = orjson.dumps(answer())
    whole = answers_table([(REQUEST, body)], BEFORE, STAMP)
    monkeypatch.setattr(cache_answers, "_MAX_CHUNK", 200)
    chunked = answers_table([(REQUEST, body)], BEFORE, STAMP)
    assert chunked["element"].num_chunks > 1
    assert chunked["element"].to_pylist() == whole["element"].to_pylist()
    assert pa.Table.from_pylist(chunked.to_pylist(), USAGE_SCHEMA).equals(whole.combine_chunks())


@pytest.mark.parametrize(("body", "cut", "second_day"), [
    (orjson.dumps(answer()), 2, 1),
    (orjson.dumps(answer()).replace("n°1".encode(), b"n\\u00b01"), None, None),
    (orjson.dumps(answer([{**HALVES[0], "libelleEquipement": "Grue]"}])), None, None),
    (orjson.dumps(answer([{**HALVES[0], "libelleEquipement": "Grue [2]"}])), 1, 0),
    (orjson.dumps(answer([[1, 2]])), 1, 0),
    (orjson.dumps(answer(vehicle={"id": 7, "usePerHalfHour": [3, 4]})), 3, 1),
], ids=["compact", "escape", "bracket-in-label", "list-in-label", "nested", "in-vehicle"])
def test_only_lists_whose_end_is_certain_are_cut(body, cut, second_day):
    """How many lists are cut, and the marker of 1 November's list (the first list's is 0)."""
    found = cache_answers._cut(body)
    assert (None if found is None else len(found[1])) == cut
    if found is not None:
        days = orjson.loads(found[0])[0]["dailyDioUtilisation"]
        assert days[1]["usePerHalfHour"] == f"\x01{second_day}"


def test_each_month_is_written_on_its_own_and_one_that_fails_is_reported(tmp_path, monkeypatch):
    store = UsageCache(tmp_path, "http://api", "1", "UTC")
    write = cache_files.pq.write_table

    def full_october(table, where, **options):
        if ".2024-10.parquet." in str(where):
            raise OSError(28, "No space left on device")
        write(table, where, **options)

    monkeypatch.setattr(cache_files.pq, "write_table", full_october)
    with pytest.warns(UserWarning, match=r"Could not write the cache file .*2024-10\.parquet .*No space left"):
        store.save_table(answers_table([(REQUEST, orjson.dumps(answer()))], BEFORE, STAMP), BEFORE)
    november = store.load([7, 8], D(2024, 10, 31), D(2024, 11, 2), before=BEFORE)
    assert [(r.vehicle_id, r.day.day) for r in november] == [(7, 1), (7, 2), (8, 1), (8, 2)]
    assert orjson.loads(november[0].element) == day("01/11/2024", [], Grue=0)

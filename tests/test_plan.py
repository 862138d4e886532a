"""Request planning: every vehicle-day asked exactly once, within the limits."""

import datetime as dt

import pytest

from ocean_analytics import RequestTooLargeError
from ocean_analytics.api.plan import UsageRequest, plan_requests, split_request

D = dt.date


def cells(requests):
    return [
        (v, r.first + dt.timedelta(days=k)) for r in requests for v in r.vehicle_ids for k in range(r.days)
    ]


def test_plan_cuts_vehicles_and_days_within_limits():
    # 5 vehicles by 2 -> batches (1,2) (3,4) (5); 1..70 Oct+Nov by 31 days -> 3 windows
    requests = plan_requests([1, 2, 3, 4, 5], D(2024, 10, 1), D(2024, 12, 9), max_vehicles=2, max_days=31)
    assert len(requests) == 3 * 3
    assert [r.vehicle_ids for r in requests[:3]] == [(1, 2)] * 3
    assert [(r.first, r.last) for r in requests[:3]] == [
        (D(2024, 10, 1), D(2024, 10, 31)),
        (D(2024, 11, 1), D(2024, 12, 1)),
        (D(2024, 12, 2), D(2024, 12, 9)),
    ]
    assert all(len(r.vehicle_ids) <= 2 and r.days <= 31 for r in requests)
    asked = cells(requests)
    assert len(asked) == len(set(asked)) == 5 * 70


def test_plan_of_no_vehicle_is_empty():
    assert plan_requests([], D(2024, 1, 1), D(2024, 1, 2), max_vehicles=50, max_days=31) == []


def test_params_use_repeated_vehicle_ids_and_api_days():
    request = UsageRequest((7, 9), D(2024, 3, 1), D(2024, 3, 31))
    assert request.params() == {"vehIds": [7, 9], "startDate": "01/03/2024", "endDate": "31/03/2024"}


def test_split_halves_vehicles_first_then_days():
    a, b = split_request(UsageRequest((1, 2, 3), D(2024, 1, 1), D(2024, 1, 10)))
    assert (a.vehicle_ids, b.vehicle_ids) == ((1,), (2, 3))
    a, b = split_request(UsageRequest((1,), D(2024, 1, 1), D(2024, 1, 5)))
    assert (a.first, a.last, b.first, b.last) == (D(2024, 1, 1), D(2024, 1, 2), D(2024, 1, 3), D(2024, 1, 5))
    assert cells([a, b]) == cells([UsageRequest((1,), D(2024, 1, 1), D(2024, 1, 5))])


def test_split_of_one_vehicle_one_day_gives_up_clearly():
    with pytest.raises(RequestTooLargeError, match=r"smallest request .*vehicle 4, 02/01/2024"):
        split_request(UsageRequest((4,), D(2024, 1, 2), D(2024, 1, 2)))

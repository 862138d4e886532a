"""Sending the usage requests: concurrently on one client, halving any the server finds too large.

:func:`fetch_each` sends a fetch's planned requests on a thread pool and hands
each answer's body to the parser as it arrives; the first failure for good
stops the others (see its docstring) and is raised naming its request.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from ..api.client import OceanClient
from ..api.plan import UsageRequest, split_request
from ..api.responses import json_list_complete, not_a_list_error
from ..errors import OceanError, RequestCancelledError, RequestTooLargeError
from .progress import progress_bar

__all__ = ["USAGE_PATH", "fetch_each"]

log = logging.getLogger(__name__)

USAGE_PATH = "/restapi/dioUtilisation/duree"


def fetch_each(
    client: OceanClient,
    requests: list[UsageRequest],
    answered: list[UsageRequest],
    *,
    max_workers: int,
    progress: bool | None,
    on_body: Callable[[bytes], None],
) -> None:
    """Send the requests concurrently; add each request answered (a half of one, after a split)
    to ``answered`` once its body is fed.

    A request answered 413 or 414 is halved (vehicles first, then days) and its
    halves sent instead, down to one vehicle and one day. ``on_body`` is called
    with each body as it arrives, in this thread, while the other requests are
    still on their way (the parser reads answers meanwhile).

    Every request shares one cancel event. The first request that fails for good
    sets it (in its worker, before any other worker can start a queued request),
    so does any exception here (``KeyboardInterrupt`` included): the requests in
    flight, their retries and backoffs end within about 0.1 s, the queued ones are
    never sent, and the first failure is raised, naming its request's vehicles and days.
    """
    show = len(requests) > 1 if progress is None else progress
    failures: list[tuple[UsageRequest, OceanError]] = []
    cancel = threading.Event()
    with (
        ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="ocean-fetch") as pool,
        progress_bar(len(requests), show=show) as bar,
    ):

        def submit(request: UsageRequest) -> Future:
            return pool.submit(_get, client, request, cancel, failures)

        pending: dict[Future, UsageRequest] = {submit(r): r for r in requests}
        try:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    request = pending.pop(future)
                    outcome = _body_or_halves(future, request, failures)
                    if isinstance(outcome, bytes):
                        on_body(outcome)
                        answered.append(request)
                        bar.update(1)
                        continue
                    bar.total += 1
                    bar.refresh()
                    pending.update({submit(h): h for h in outcome})
        except BaseException:
            cancel.set()
            for future in pending:
                future.cancel()
            raise


def _get(
    client: OceanClient,
    request: UsageRequest,
    cancel: threading.Event,
    failures: list[tuple[UsageRequest, OceanError]],
) -> bytes:
    """One request's body; on a failure for good (not a 413/414, which is split), the failure is
    recorded and ``cancel`` set at once, in this worker."""
    if cancel.is_set():
        raise RequestCancelledError(f"{request.describe()} was not sent: the fetch stopped.")
    try:
        body = client.get(USAGE_PATH, request.params(), complete=json_list_complete, cancel=cancel)
        error = not_a_list_error(body, USAGE_PATH, client.redact, f" for {request.describe()}")
        if error:
            raise error
    except RequestCancelledError:
        raise
    except OceanError as exc:
        if not (isinstance(exc, RequestTooLargeError) and exc.status in (413, 414)):
            failures.append((request, exc))
            cancel.set()
        raise
    return body


def _body_or_halves(
    future: Future, request: UsageRequest, failures: list[tuple[UsageRequest, OceanError]]
) -> bytes | tuple[UsageRequest, UsageRequest]:
    """The answer's body when the request succeeded; its two halves when the server found it too large.

    Raises
    ------
    OceanError
        The fetch's first failure (whichever future brought it to light), its
        message naming the failed request's vehicles and days.
    """
    try:
        return future.result()
    except RequestTooLargeError as exc:
        if exc.status not in (413, 414):
            first = failures[0] if failures else (request, exc)
            raise _named(*first) from first[1].__cause__
        halves = split_request(request)
        log.info(
            "%s was too large (%s): split into %s and %s",
            request.describe(),
            exc.status,
            halves[0].describe(),
            halves[1].describe(),
        )
        return halves
    except OceanError as exc:
        first = failures[0] if failures else (request, exc)
        raise _named(*first) from first[1].__cause__


def _named(request: UsageRequest, error: OceanError) -> OceanError:
    """``error`` with its message naming the request's vehicles (the first five and the count)
    and days; its class, attributes and cause unchanged."""
    ids = request.vehicle_ids
    shown = ", ".join(str(v) for v in ids[:5]) + (", ..." if len(ids) > 5 else "")
    days = f"{request.first.isoformat()} to {request.last.isoformat()}"
    if request.first == request.last:
        days = request.first.isoformat()
    named = f"the request for {len(ids)} vehicle(s) ({shown}) over {days}"
    if named not in str(error):
        error.args = (f"{error.args[0] if error.args else error} [{named}]", *error.args[1:])
    return error

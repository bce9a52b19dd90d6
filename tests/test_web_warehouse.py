"""The server's one warehouse connection (web.warehouse.SharedWarehouse): requests go before
work in the background, which goes piece by piece; stopping refuses new background work."""

from __future__ import annotations

import threading
import time

import pytest

from quarterdeck.store import open_warehouse
from quarterdeck.web.warehouse import SharedWarehouse


@pytest.fixture
def shared(tmp_path):
    with open_warehouse(tmp_path / "w.duckdb") as warehouse:
        yield SharedWarehouse(warehouse)


def wait_until(condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


def test_a_request_goes_before_the_rest_of_the_background_work(shared):
    order: list[str] = []
    request = threading.Thread(target=lambda: shared.run_request(lambda w: order.append("request")))

    def piece(w, n: int) -> None:
        order.append(f"piece {n}")
        if n == 1:  # a request arrives while the first piece runs, and waits for it
            request.start()
            wait_until(lambda: shared.requests_waiting == 1)
        assert w.value("SELECT 42") == 42

    background = threading.Thread(target=lambda: [shared.run_now(lambda w, n=n: piece(w, n)) for n in (1, 2, 3)])
    background.start()
    background.join(30)
    request.join(30)
    assert order == ["piece 1", "request", "piece 2", "piece 3"]


def test_requests_queued_during_a_piece_all_go_before_the_next(shared):
    order: list[str] = []
    requests = [
        threading.Thread(target=lambda i=i: shared.run_request(lambda w: order.append(f"request {i}")))
        for i in range(3)
    ]

    def first(w) -> None:
        order.append("piece 1")
        for thread in requests:
            thread.start()
        wait_until(lambda: shared.requests_waiting == 3)

    background = threading.Thread(
        target=lambda: (shared.run_now(first), shared.run_now(lambda w: order.append("piece 2")))
    )
    background.start()
    background.join(30)
    for thread in requests:
        thread.join(30)
    assert order[0] == "piece 1" and order[-1] == "piece 2"
    assert sorted(order[1:4]) == ["request 0", "request 1", "request 2"]


def test_once_stopping_background_work_is_refused_and_requests_still_finish(shared):
    assert shared.run_request(lambda w: w.value("SELECT 1")) == 1
    shared.settle()
    with pytest.raises(RuntimeError, match="the server is stopping"):
        shared.run_now(lambda w: None)

"""The rolling 24-hour request count."""

from __future__ import annotations

import tracemalloc

from custom_components.spotify_player.api.request_window import RequestWindow

MINUTES_A_DAY = 1440


def test_counts_the_last_day_in_minutes() -> None:
    """Requests leave the count 24 hours later."""
    now = [1000.0]
    window = RequestWindow(clock=lambda: now[0])
    for _ in range(3):
        window.add()
    now[0] += 59.0 * 60
    window.add()
    assert window.count() == 4
    now[0] += 86_400 - 59.0 * 60
    assert window.count() == 1  # the first minute's three have expired
    for _ in range(2000):
        now[0] += 120
        window.add()
    assert window.count() == 720  # one every two minutes, a day's worth


def test_memory_grows_with_minutes_not_requests() -> None:
    """A day at twenty requests a minute takes the memory of a day at one a minute."""
    now = [0.0]
    window = RequestWindow(clock=lambda: now[0])

    def a_day_at(per_minute: int) -> None:
        for _ in range(MINUTES_A_DAY):
            now[0] += 60
            for _ in range(per_minute):
                window.add()

    a_day_at(1)  # a full window: every minute has been counted once
    tracemalloc.start()
    try:
        a_day_at(1)
        quiet, _peak = tracemalloc.get_traced_memory()
        a_day_at(20)
        busy, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert window.count() == 20 * MINUTES_A_DAY
    # Keeping each request (a pointer each) would take over 200 kB more.
    assert busy - quiet < 16_384

"""The rolling 24-hour request count."""

from __future__ import annotations

from custom_components.spotify_player.api.request_window import RequestWindow


def test_counts_the_last_day_in_minutes() -> None:
    """Requests leave the count 24 hours later; one bucket per minute is kept."""
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
    assert window.count() == 720  # one a bucket, a day's worth
    assert len(window._buckets) == 720

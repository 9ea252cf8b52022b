"""The rate-limit gate, alone and through real HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from custom_components.spotify_player.api import (
    RateLimitGate,
    SpotifyClient,
    SpotifyRateLimitedError,
)
from custom_components.spotify_player.api.rate_limit import parse_retry_after

if TYPE_CHECKING:
    from aiohttp import ClientSession

    from .conftest import FakeSpotify, TokenSource

ME = "/v1/me"
RATE_LIMIT_BODY = {"error": {"status": 429, "message": "API rate limit exceeded"}}
NOW = 1_772_366_400.0  # Sun, 01 Mar 2026 12:00:00 GMT
DAY = 86_400.0


class Clock:
    """Manual monotonic clock."""

    def __init__(self) -> None:
        """Start at an arbitrary instant."""
        self.now = 1000.0

    def __call__(self) -> float:
        """Return the current time."""
        return self.now


@pytest.fixture
def clock() -> Clock:
    """Provide a manual clock."""
    return Clock()


@pytest.fixture
def gated_client(
    session: ClientSession,
    tokens: TokenSource,
    spotify_server: FakeSpotify,
    clock: Clock,
) -> SpotifyClient:
    """Provide a client whose gate runs on the manual clock."""
    return SpotifyClient(
        session,
        tokens,
        api_base=spotify_server.api_base,
        rate_limit_gate=RateLimitGate(clock=clock),
    )


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("7", 7.0),
        (" 2.5 ", 2.5),
        ("1e3", 1000.0),
        ("0", 0.0),
        # Waits longer than a day are cut to one (1e12 s overflowed every date).
        ("1e12", DAY),
        ("1e999", DAY),
        # HTTP-dates in their three forms, measured from now.
        ("Sun, 01 Mar 2026 12:00:30 GMT", 30.0),
        ("Sunday, 01-Mar-26 12:01:00 GMT", 60.0),
        ("Sun Mar  1 12:00:05 2026", 5.0),
        ("Sun, 01 Mar 2026 11:00:00 GMT", 0.0),
        ("Fri, 01 Jan 2100 00:00:00 GMT", DAY),
        # Absent or unreadable: None, and the gate backs off by itself.
        (None, None),
        ("", None),
        ("soon", None),
        ("-3", None),
        ("+3", None),
        ("inf", None),
        ("nan", None),
        ("1_000", None),
        ("Sun, 01 Mar 2026 25:00:00 GMT", None),
    ],
)
def test_parse_retry_after(header: str | None, seconds: float | None) -> None:
    """Delay-seconds and HTTP-dates read as 0 s to a day; anything else as absent."""
    assert parse_retry_after(header, now=NOW) == seconds


def test_gate_open_by_default(clock: Clock) -> None:
    """A fresh gate lets requests through."""
    gate = RateLimitGate(clock=clock)
    gate.check()
    assert gate.remaining == 0
    assert gate.last is None


def test_gate_honours_retry_after(clock: Clock) -> None:
    """The gate stays closed for exactly Retry-After seconds."""
    gate = RateLimitGate(clock=clock)
    assert gate.record_rate_limited(30.0, "QUOTA_EXCEEDED") == 30.0
    with pytest.raises(SpotifyRateLimitedError) as err:
        gate.check()
    assert err.value.retry_after == 30.0
    assert err.value.reason == "QUOTA_EXCEEDED"
    assert err.value.status == 429
    clock.now += 29.5
    assert gate.remaining == pytest.approx(0.5)
    with pytest.raises(SpotifyRateLimitedError):
        gate.check()
    clock.now += 0.5
    gate.check()
    assert gate.last is not None
    assert (gate.last.at, gate.last.retry_after) == (1000.0, 30.0)


def test_gate_backoff_without_header(clock: Clock) -> None:
    """Without Retry-After the wait doubles from 1 s up to 60 s; success resets it."""
    gate = RateLimitGate(clock=clock)
    waits = []
    for _ in range(9):
        waits.append(gate.record_rate_limited(None))
        clock.now += waits[-1]
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    gate.record_success()
    assert gate.record_rate_limited(None) == 1


def test_gate_backoff_survives_long_streaks(clock: Clock) -> None:
    """A very long streak of 429s stays capped and never overflows."""
    gate = RateLimitGate(clock=clock)
    for _ in range(2000):
        wait = gate.record_rate_limited(-5)
    assert wait == 60


def test_gate_late_429_does_not_shorten_wait(clock: Clock) -> None:
    """A 429 with a short wait cannot reopen a gate closed for longer."""
    gate = RateLimitGate(clock=clock)
    gate.record_rate_limited(120)
    gate.record_rate_limited(1)
    assert gate.remaining == 120


async def test_429_with_retry_after_blocks_without_sending(
    gated_client: SpotifyClient, spotify_server: FakeSpotify, clock: Clock
) -> None:
    """After a 429 no request reaches the server until Retry-After has passed."""
    spotify_server.reply("GET", ME, 429, RATE_LIMIT_BODY, headers={"Retry-After": "7"})
    spotify_server.reply("GET", ME, 200, {"id": "user1"})

    with pytest.raises(SpotifyRateLimitedError) as err:
        await gated_client.get_current_user()
    assert err.value.retry_after == 7
    assert err.value.message == "API rate limit exceeded"
    assert gated_client.stats.last_rate_limit is not None
    assert gated_client.stats.last_rate_limit.retry_after == 7

    clock.now += 6
    with pytest.raises(SpotifyRateLimitedError) as err:
        await gated_client.pause_playback()
    assert err.value.retry_after == 1
    assert spotify_server.count() == 1

    clock.now += 1
    assert (await gated_client.get_current_user()).id == "user1"
    assert spotify_server.count() == 2


async def test_429_with_an_endless_retry_after_closes_the_gate_for_a_day(
    gated_client: SpotifyClient, spotify_server: FakeSpotify, clock: Clock
) -> None:
    """Retry-After: 1e12 closes the gate for a day, the longest wait it takes."""
    spotify_server.reply("GET", ME, 429, headers={"Retry-After": "1e12"})
    with pytest.raises(SpotifyRateLimitedError) as err:
        await gated_client.get_current_user()
    assert err.value.retry_after == DAY
    assert gated_client.rate_limit_gate.remaining == DAY


async def test_429_without_retry_after_backs_off(
    gated_client: SpotifyClient, spotify_server: FakeSpotify, clock: Clock
) -> None:
    """Without Retry-After the client backs off 1, 2, 4 s, refusing calls meanwhile."""
    spotify_server.reply("GET", ME, 429, RATE_LIMIT_BODY)
    for expected in (1, 2, 4):
        with pytest.raises(SpotifyRateLimitedError) as err:
            await gated_client.get_current_user()
        assert err.value.retry_after == expected
        sent = spotify_server.count()
        with pytest.raises(SpotifyRateLimitedError):
            await gated_client.get_current_user()
        assert spotify_server.count() == sent
        clock.now += expected
    assert spotify_server.count() == 3


@pytest.mark.parametrize("retry_after", ["soon", "-3", "inf"])
async def test_429_with_reason_and_bad_header(
    gated_client: SpotifyClient, spotify_server: FakeSpotify, retry_after: str
) -> None:
    """An unreadable Retry-After falls back to backoff; the reason is kept."""
    spotify_server.reply(
        "GET",
        ME,
        429,
        {"error": {"status": 429, "message": "Quota", "reason": "QUOTA_EXCEEDED"}},
        headers={"Retry-After": retry_after},
    )
    with pytest.raises(SpotifyRateLimitedError) as err:
        await gated_client.get_current_user()
    assert err.value.retry_after == 1
    assert err.value.reason == "QUOTA_EXCEEDED"
    with pytest.raises(SpotifyRateLimitedError) as err:
        await gated_client.get_current_user()
    assert err.value.reason == "QUOTA_EXCEEDED"


async def test_gate_shared_between_clients(
    session: ClientSession,
    tokens: TokenSource,
    spotify_server: FakeSpotify,
    clock: Clock,
) -> None:
    """Two clients of one account share the gate."""
    gate = RateLimitGate(clock=clock)
    first = SpotifyClient(
        session, tokens, api_base=spotify_server.api_base, rate_limit_gate=gate
    )
    second = SpotifyClient(
        session, tokens, api_base=spotify_server.api_base, rate_limit_gate=gate
    )
    assert first.rate_limit_gate is second.rate_limit_gate
    spotify_server.reply("GET", ME, 429, headers={"Retry-After": "3"})
    with pytest.raises(SpotifyRateLimitedError):
        await first.get_current_user()
    with pytest.raises(SpotifyRateLimitedError) as err:
        await second.get_devices()
    assert err.value.retry_after == 3
    assert spotify_server.count() == 1


async def test_success_resets_backoff(
    gated_client: SpotifyClient, spotify_server: FakeSpotify, clock: Clock
) -> None:
    """A successful (202) call resets the backoff to 1 s."""
    spotify_server.reply("GET", ME, 429)
    spotify_server.reply("GET", ME, 429)
    spotify_server.reply("POST", "/v1/me/player/next", 202)
    for _ in range(2):
        with pytest.raises(SpotifyRateLimitedError) as err:
            await gated_client.get_current_user()
        clock.now += err.value.retry_after
    await gated_client.next_track()
    with pytest.raises(SpotifyRateLimitedError) as err:
        await gated_client.get_current_user()
    assert err.value.retry_after == 1

"""Playback data without Home Assistant: position, media info and the request budget."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from custom_components.spotify_player.api import PlaybackState
from custom_components.spotify_player.media_info import MediaInfo, media_info
from custom_components.spotify_player.playback import (
    Activity,
    SpotifyPlaybackData,
    playback_position,
)
from custom_components.spotify_player.polling import BudgetPlan, RequestBudget


def test_budget_bucket() -> None:
    """The bucket refills at (per hour - burst) / hour and may be overdrawn."""
    plan = BudgetPlan(per_hour=300, burst=4)
    budget = RequestBudget(plan, now=0.0)
    assert budget.wait(3, 0.0) == 0
    budget.spend(4, 0.0)
    assert budget.tokens(0.0) == 0
    # Routine: 1 + reserve 1 = 2 tokens; urgent: 1 token.
    assert budget.wait(1, 0.0) == pytest.approx(2 / plan.rate)
    assert budget.wait(1, 0.0, urgent=True) == pytest.approx(1 / plan.rate)
    budget.spend(2, 0.0)
    assert budget.tokens(0.0) == -2
    assert budget.tokens(10_000.0) == 4
    # Switching to a smaller plan keeps what is left, up to its burst.
    budget.set_plan(BudgetPlan(per_hour=60, burst=3), 10_000.0)
    assert budget.tokens(10_000.0) == 3
    budget.set_plan(budget.plan, 10_000.0)
    assert budget.plan.per_hour == 60


def _state(**fields: Any) -> PlaybackState:
    return PlaybackState.from_dict(
        {
            "device": {"id": "d", "name": "D", "type": "Speaker", "is_active": True},
            "is_playing": True,
            "item": {"type": "track", "uri": "spotify:track:t", "duration_ms": 300_000},
            **fields,
        }
    )


AT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
MS = int(AT.timestamp() * 1000)


@pytest.mark.parametrize(
    ("fields", "position", "updated_at"),
    [
        # Playing since the timestamp 10 s ago: the position at the timestamp.
        (
            {"timestamp": MS - 10_000, "progress_ms": 70_000},
            60_000,
            AT - timedelta(seconds=10),
        ),
        # Paused at the timestamp: the position does not move.
        (
            {"timestamp": MS - 10_000, "progress_ms": 70_000, "is_playing": False},
            70_000,
            AT - timedelta(seconds=10),
        ),
        # Timestamp in the future or before the item could have started: fall back.
        ({"timestamp": MS + 5_000, "progress_ms": 70_000}, 70_000, AT),
        ({"timestamp": MS - 100_000, "progress_ms": 70_000}, 70_000, AT),
        ({"progress_ms": 70_000}, 70_000, AT),
        ({}, None, None),
    ],
)
def test_playback_position(
    fields: dict[str, Any], position: int | None, updated_at: datetime | None
) -> None:
    """Position and its timestamp are consistent with Spotify's fields."""
    assert playback_position(_state(**fields), AT) == (position, updated_at)


def test_playback_position_keeps_previous_within_tolerance() -> None:
    """A later poll that agrees with the last report keeps its values."""
    first = _state(progress_ms=70_000)
    previous = SpotifyPlaybackData(
        playback=first, position_ms=70_000, position_updated_at=AT
    )
    later = AT + timedelta(seconds=15)
    assert playback_position(_state(progress_ms=85_400), later, previous) == (
        70_000,
        AT,
    )
    assert playback_position(_state(progress_ms=95_000), later, previous) == (
        95_000,
        later,
    )
    assert previous.seconds_left(later) == pytest.approx(215)
    idle = SpotifyPlaybackData(playback=None)
    assert idle.activity is Activity.IDLE
    assert idle.seconds_left(later) is None


def test_media_info_edge_cases() -> None:
    """Chapter URIs are audiobooks; unknown items and no playback show nothing."""
    chapter = _state(
        item={"type": "episode", "uri": "spotify:chapter:c", "duration_ms": 1000},
        progress_ms=0,
    )
    info = media_info(SpotifyPlaybackData(playback=chapter))
    assert info.content_type == "audiobook"
    assert info.title == ""
    assert media_info(SpotifyPlaybackData(playback=None)) == MediaInfo()
    unknown = _state(item=None, currently_playing_type="unknown")
    assert media_info(SpotifyPlaybackData(playback=unknown, context_name="X")) == (
        MediaInfo(playlist="X")
    )

"""Model edge cases and the error-body parser."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.spotify_player.api import (
    CurrentlyPlayingType,
    Device,
    Episode,
    Image,
    PlaybackState,
    Playlist,
    PlaylistItem,
    Queue,
    RepeatMode,
    SimplifiedArtist,
    SimplifiedAudiobook,
    SimplifiedPlaylist,
    SimplifiedShow,
    SpotifyAuthenticationError,
    SpotifyError,
    SpotifyRateLimitedError,
    SpotifyResponseError,
    Track,
    TrackPage,
    error_from_response,
    largest_image,
    parse_error_body,
    parse_playable,
)


def test_device_nulls() -> None:
    """A restricted device may have neither id nor volume."""
    device = Device.from_dict(
        {"id": None, "volume_percent": None, "name": "Roam", "type": None}
    )
    assert device.id is None
    assert device.volume_percent is None
    assert device.type == ""


@pytest.mark.parametrize(
    ("raw_type", "item", "expected_type", "expected_item"),
    [
        ("track", {"type": "track", "id": "t"}, CurrentlyPlayingType.TRACK, Track),
        ("episode", None, CurrentlyPlayingType.EPISODE, type(None)),
        ("episode", {"type": "episode"}, CurrentlyPlayingType.EPISODE, Episode),
        ("ad", None, CurrentlyPlayingType.AD, type(None)),
        ("unknown", None, CurrentlyPlayingType.UNKNOWN, type(None)),
        ("hologram", {"type": "hologram"}, CurrentlyPlayingType.UNKNOWN, type(None)),
        (None, {"album": {}, "name": "untyped"}, CurrentlyPlayingType.UNKNOWN, Track),
    ],
)
def test_playback_item_kinds(
    raw_type: str | None,
    item: dict[str, Any] | None,
    expected_type: CurrentlyPlayingType,
    expected_item: type,
) -> None:
    """Item is a Track, an Episode or None whatever Spotify reports."""
    state = PlaybackState.from_dict(
        {"currently_playing_type": raw_type, "item": item, "is_playing": True}
    )
    assert state.currently_playing_type is expected_type
    assert type(state.item) is expected_item


def test_playback_defaults_and_nested() -> None:
    """Missing fields default; nested disallows and smart shuffle are read."""
    state = PlaybackState.from_dict(
        {
            "repeat_state": "CONTEXT",
            "smart_shuffle": True,
            "shuffle_state": True,
            "actions": {"disallows": {"seeking": True, "new_action": True}},
        }
    )
    assert state.repeat_state is RepeatMode.CONTEXT
    assert state.smart_shuffle
    assert state.actions.disallows.seeking
    assert not state.actions.disallows.pausing
    empty = PlaybackState.from_dict({"repeat_state": "sometimes"})
    assert empty.repeat_state is RepeatMode.OFF
    assert empty.device is None
    assert empty.item is None
    assert not empty.actions.disallows.resuming


def test_playback_round_trip() -> None:
    """Serialised state parses back to an equal object (used in diagnostics)."""
    state = PlaybackState.from_dict(
        {"item": {"type": "episode", "name": "x"}, "device": {"id": None}}
    )
    assert PlaybackState.from_json(state.to_json()) == state


@pytest.mark.parametrize(
    ("model", "expected_id", "expected_type"),
    [
        (SimplifiedArtist, None, None),
        (Episode, None, "episode"),
        (SimplifiedShow, "", None),
        (SimplifiedAudiobook, "", None),
        (SimplifiedPlaylist, "", None),
    ],
)
def test_catalogue_defaults_per_model(
    model: type[Any], expected_id: str | None, expected_type: str | None
) -> None:
    """Models sharing base fields keep their own `id` and `type` defaults."""
    parsed = model.from_dict({"id": None, "name": None, "external_urls": None})
    assert parsed.id == expected_id
    assert parsed.name == ""
    assert parsed.external_urls == {}
    assert getattr(parsed, "type", None) == expected_type


def test_playlist_items_normalised() -> None:
    """`items` wins over the deprecated `tracks`, which is used when alone."""
    new = SimplifiedPlaylist.from_dict({"items": {"total": 3}, "tracks": {"total": 99}})
    old = SimplifiedPlaylist.from_dict({"tracks": {"total": 4}, "items": None})
    neither = SimplifiedPlaylist.from_dict({"id": "x"})
    assert new.items is not None
    assert new.items.total == 3
    assert old.items is not None
    assert old.items.total == 4
    assert neither.items is None
    full = Playlist.from_dict({"tracks": {"items": [{"track": {"type": "track"}}]}})
    assert full.items is not None
    assert isinstance(full.items.items[0].item, Track)


def test_playlist_item_normalised() -> None:
    """`item` wins over the deprecated `track`; unknown kinds become None."""
    item = PlaylistItem.from_dict(
        {"item": {"type": "episode"}, "track": {"type": "track"}}
    )
    assert isinstance(item.item, Episode)
    assert PlaylistItem.from_dict({"track": {"type": "video"}}).item is None
    assert PlaylistItem.from_dict({}).item is None


def test_queue_skips_unknown_items() -> None:
    """Queue entries of unknown kinds are dropped."""
    queue = Queue.from_dict(
        {"queue": [{"type": "track"}, {"type": "chapter"}, 5, {"type": "episode"}]}
    )
    assert [type(item) for item in queue.queue] == [Track, Episode]
    # mashumaro wraps the TypeError; the client turns it into a malformed response.
    with pytest.raises(ValueError, match="queue"):
        Queue.from_dict({"queue": {"type": "track"}})


def test_page_skips_null_items() -> None:
    """Null entries in a page are dropped."""
    page = TrackPage.from_dict({"items": [None, {"id": "t"}], "total": 2})
    assert [track.id for track in page.items] == ["t"]


def test_nulls_in_lists_are_dropped() -> None:
    """A null inside any list is dropped, never coerced (`languages: [null]`)."""
    show = SimplifiedShow.from_dict(
        {"languages": [None, "en"], "images": [None, {"url": "u"}], "name": "S"}
    )
    assert show.languages == ["en"]
    assert [image.url for image in show.images] == ["u"]


def test_parse_playable_rejects_non_objects() -> None:
    """Anything but an object is no playable."""
    assert parse_playable(None) is None
    assert parse_playable(["track"]) is None


def test_largest_image() -> None:
    """The largest image wins; unknown sizes rank last; empty URLs are skipped."""
    small = Image(url="s", width=64, height=64)
    large = Image(url="l", width=640, height=640)
    unsized = Image(url="u")
    assert largest_image([small, large, unsized]) is large
    assert largest_image([unsized, Image(url="u2")]) is unsized
    assert largest_image([Image(url="", width=1000, height=1000), small]) is small
    assert largest_image([]) is None


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            b'{"error": {"status": 404, "message": "Gone", "reason": "X"}}',
            ("Gone", "X"),
        ),
        (
            b'{"error": "invalid_grant", "error_description": "Refresh token revoked"}',
            ("Refresh token revoked", "invalid_grant"),
        ),
        (b'{"error": "invalid_client"}', (None, "invalid_client")),
        (b'{"error": {"message": "  two\\n lines  "}}', ("two lines", None)),
        (b'{"error": {"message": ""}}', (None, None)),
        (b'{"error": 5}', (None, None)),
        (b"[1]", (None, None)),
        (b"<html>", (None, None)),
        (b"", (None, None)),
        (None, (None, None)),
        ('{"error": {"message": "text body"}}', ("text body", None)),
    ],
)
def test_parse_error_body(
    body: bytes | str | None, expected: tuple[str | None, str | None]
) -> None:
    """Error bodies of the Web API and of the Accounts service are understood."""
    assert parse_error_body(body) == expected


def test_error_message_is_capped() -> None:
    """A huge message is cut short."""
    body = b'{"error": {"message": "' + b"x" * 5000 + b'"}}'
    assert len(error_from_response(400, body).message) == 300


def test_error_attributes_and_repr() -> None:
    """Errors carry status, reason and message; repr shows all three."""
    err = error_from_response(
        400, b'{"error": "invalid_grant", "error_description": "Revoked"}'
    )
    assert type(err) is SpotifyResponseError
    assert (err.status, err.reason, err.message, str(err)) == (
        400,
        "invalid_grant",
        "Revoked",
        "Revoked",
    )
    assert repr(err) == (
        "SpotifyResponseError(message='Revoked', status=400, reason='invalid_grant')"
    )
    auth = SpotifyAuthenticationError("Refresh token revoked", reason="invalid_grant")
    assert isinstance(auth, SpotifyError)
    assert auth.status is None
    limited = error_from_response(429, None)
    assert isinstance(limited, SpotifyRateLimitedError)
    assert limited.retry_after == 0

"""Parsing what users paste into Spotify URIs."""

from __future__ import annotations

import pytest

from custom_components.spotify_player.uri import (
    is_context_uri,
    item_in_context_id,
    to_play_target,
    to_spotify_uri,
    uri_id,
    uri_type,
)

ID = "4uLU6hMCjMI75M1A2tKUQC"


@pytest.mark.parametrize(
    ("value", "uri"),
    [
        (f"spotify:track:{ID}", f"spotify:track:{ID}"),
        (f"  spotify:album:{ID} ", f"spotify:album:{ID}"),
        (f"spotify:user:someone:playlist:{ID}", f"spotify:playlist:{ID}"),
        ("spotify:user:someone:collection", "spotify:user:someone:collection"),
        (f"https://open.spotify.com/track/{ID}", f"spotify:track:{ID}"),
        (f"https://open.spotify.com/track/{ID}?si=abc123", f"spotify:track:{ID}"),
        (f"https://open.spotify.com/intl-de/album/{ID}", f"spotify:album:{ID}"),
        (f"https://open.spotify.com/intl-pt_BR/show/{ID}?si=x", f"spotify:show:{ID}"),
        (f"http://open.spotify.com/embed/playlist/{ID}", f"spotify:playlist:{ID}"),
        (f"https://open.spotify.com/user/x/playlist/{ID}", f"spotify:playlist:{ID}"),
        (f"https://open.spotify.com/episode/{ID}/", f"spotify:episode:{ID}"),
        (f"spotify_player://spotify:artist:{ID}", f"spotify:artist:{ID}"),
        (f"spotify://01ABCDEF/spotify:audiobook:{ID}", f"spotify:audiobook:{ID}"),
    ],
)
def test_to_spotify_uri(value: str, uri: str) -> None:
    """URIs, links with locale prefixes and query strings, and browse ids."""
    assert to_spotify_uri(value) == uri


@pytest.mark.parametrize(
    "value",
    [
        "",
        "spotify:track:short",
        f"spotify:station:{ID}",
        f"spotify:track:{ID}:extra",
        f"https://example.com/track/{ID}",
        "https://open.spotify.com/",
        f"https://open.spotify.com/station/{ID}",
        f"https://open.spotify.com/intl-de/track/{ID}/more",
        "spotify_player://library/playlists",
        "ftp://open.spotify.com/track/x",
        "just words",
    ],
)
def test_to_spotify_uri_rejects(value: str) -> None:
    """Anything else is a ValueError for callers to translate."""
    with pytest.raises(ValueError, match="Not a Spotify"):
        to_spotify_uri(value)


def test_uri_parts() -> None:
    """Type and id of parsed URIs; which ones Spotify plays as a context."""
    assert uri_type(f"spotify:show:{ID}") == "show"
    assert uri_id(f"spotify:show:{ID}") == ID
    assert uri_type("spotify:user:me:collection") == "collection"
    assert is_context_uri("spotify:user:me:collection")
    assert is_context_uri(f"spotify:artist:{ID}")
    assert not is_context_uri(f"spotify:episode:{ID}")


def test_play_target_of_an_item_inside_a_context() -> None:
    """An item browsed inside a context plays that context; anything else alone."""
    track, playlist = f"spotify:track:{ID}", f"spotify:playlist:{ID}"
    assert to_play_target(item_in_context_id(track, playlist)) == (track, playlist)
    assert to_play_target(track) == (track, None)
    assert to_play_target(f"spotify_player://{playlist}") == (playlist, None)
    assert to_play_target(f"https://open.spotify.com/track/{ID}") == (track, None)
    # Home Assistant's own Spotify ids name an entry, not a context.
    assert to_play_target(f"spotify://01ABCDEF/{track}") == (track, None)


@pytest.mark.parametrize(
    "value",
    [
        f"spotify_player://spotify:track:{ID}/spotify:track:{ID}",
        f"spotify_player://garbage/spotify:track:{ID}",
    ],
)
def test_play_target_rejects_a_bad_context(value: str) -> None:
    """The context part must be a context URI too."""
    with pytest.raises(ValueError, match="Not a Spotify"):
        to_play_target(value)

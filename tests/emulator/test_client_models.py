"""Cross-check: emulator responses parse with the client's models.

Goes through the real SpotifyClient against the running emulator, so paths, query
parameters, status codes and error bodies are checked too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import aiohttp
import pytest

from custom_components.spotify_player import api
from custom_components.spotify_player.api import (
    Artist,
    CurrentlyPlayingType,
    Episode,
    PlaylistItem,
    RepeatMode,
    SavedTrack,
    SearchType,
    SimplifiedPlaylist,
    SpotifyAppOwnerPremiumRequiredError,
    SpotifyClient,
    SpotifyConnectionError,
    SpotifyForbiddenError,
    SpotifyInsufficientScopeError,
    SpotifyMalformedResponseError,
    SpotifyNoActiveDeviceError,
    SpotifyNotFoundError,
    SpotifyPlaylistItemsForbiddenError,
    SpotifyPremiumRequiredError,
    SpotifyRateLimitedError,
    SpotifyResponseError,
    SpotifyServerError,
    SpotifyTokenRejectedError,
    SpotifyUserNotRegisteredError,
    Track,
)
from spotify_emulator import FaultKind, World, seed

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable

    from spotify_emulator import EmulatorServer

USER = seed.PREMIUM_USER_ID


class _Tokens:
    """A token provider backed by World.issue_tokens."""

    def __init__(
        self, world: World, user_id: str, scopes: Iterable[str] | None = None
    ) -> None:
        self.world = world
        self.user_id = user_id
        self.scopes = scopes
        self.forced = 0
        self.token = world.issue_tokens(user_id, scopes).access_token

    async def __call__(self, force_refresh: bool) -> str:
        if force_refresh:
            self.forced += 1
            self.token = self.world.issue_tokens(self.user_id, self.scopes).access_token
        return self.token


@pytest.fixture
async def session(emulator: EmulatorServer) -> AsyncIterator[aiohttp.ClientSession]:
    """Return an aiohttp session for the client."""
    async with aiohttp.ClientSession() as http:
        yield http


def _client(
    session: aiohttp.ClientSession,
    emulator: EmulatorServer,
    world: World,
    user_id: str = USER,
    scopes: Iterable[str] | None = None,
) -> SpotifyClient:
    return SpotifyClient(
        session, _Tokens(world, user_id, scopes), api_base=emulator.api_url
    )


async def test_user_and_player_reads(
    session: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """/me, /me/player (track, episode, chapter, ad, none), devices and queue."""
    client = _client(session, emulator, emulator_world)
    user = await client.get_current_user()
    # Development Mode profiles carry no product.
    assert (user.id, user.product) == (USER, None)

    state = await client.get_playback_state()
    assert state is not None
    assert state.currently_playing_type is CurrentlyPlayingType.TRACK
    assert isinstance(state.item, Track)
    assert state.device is not None
    assert state.device.type == "Computer"
    assert state.repeat_state is RepeatMode.OFF
    assert state.actions.disallows.resuming
    assert not state.actions.disallows.pausing
    assert state.context is not None
    assert state.context.uri == f"spotify:playlist:{seed.START_PLAYLIST_ID}"

    devices = await client.get_devices()
    assert len(devices) == 5
    assert {d.type for d in devices} >= {"Computer", "Smartphone", "Speaker"}
    assert any(d.id is None for d in devices)
    assert any(d.volume_percent is None and not d.supports_volume for d in devices)

    queue = await client.get_queue()
    assert queue.currently_playing is not None
    assert len(queue.queue) == 20

    emulator_world.play_episode(USER)
    state = await client.get_playback_state()
    assert state is not None
    assert isinstance(state.item, Episode)
    assert state.currently_playing_type is CurrentlyPlayingType.EPISODE
    queue = await client.get_queue()
    assert isinstance(queue.currently_playing, Episode)

    book = next(iter(emulator_world.catalogue.audiobooks.values()))
    emulator_world.command_play(USER, context_uri=book.uri)
    state = await client.get_playback_state()
    assert state is not None
    assert isinstance(state.item, Episode)

    emulator_world.start_ad(USER)
    state = await client.get_playback_state()
    assert state is not None
    assert state.currently_playing_type is CurrentlyPlayingType.AD
    assert state.item is None

    emulator_world.stop_playback(USER)
    assert await client.get_playback_state() is None


async def test_player_commands(
    session: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """Every command the client sends is accepted by the emulator."""
    client = _client(session, emulator, emulator_world)
    pb = emulator_world.playback(USER)
    track = next(iter(emulator_world.catalogue.tracks.values()))
    await client.pause_playback()
    await client.start_playback()
    await client.next_track()
    await client.previous_track()
    await client.seek(1000)
    await client.set_volume(40)
    await client.set_shuffle(True)
    await client.set_repeat(RepeatMode.CONTEXT)
    await client.add_to_queue(track.uri)
    assert (pb.shuffle, pb.repeat, pb.queue[-1]) == (True, "context", track.uri)
    await client.transfer_playback(seed.SPEAKER_DEVICE_ID, play=True)
    await client.start_playback(
        device_id=seed.COMPUTER_DEVICE_ID,
        context_uri=f"spotify:playlist:{seed.BIG_PLAYLIST_ID}",
        offset_position=3,
        position_ms=2000,
    )
    await client.start_playback(uris=[track.uri], offset_uri=track.uri)
    assert pb.current_uri == track.uri
    await client.set_shuffle(False)
    await client.set_repeat(RepeatMode.OFF)


async def test_library_and_playlists(
    session: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """Playlists, saved items, following, top items and recently played parse."""
    client = _client(session, emulator, emulator_world)
    page = await client.get_my_playlists()
    playlists = await client.collect(page, SimplifiedPlaylist, max_items=500)
    assert len(playlists) == seed.PREMIUM_PLAYLIST_COUNT
    assert playlists[0].items is not None
    assert playlists[0].items.total == 25

    playlist = await client.get_playlist(seed.BIG_PLAYLIST_ID)
    assert playlist.items is not None
    assert playlist.items.total == 120
    items_page = await client.get_playlist_items(seed.BIG_PLAYLIST_ID)
    items = await client.collect(items_page, PlaylistItem, max_items=500)
    assert len(items) == 120
    assert all(isinstance(i.item, Track) for i in items)
    mixed = await client.get_playlist_items(seed.MIXED_PLAYLIST_ID)
    assert sum(isinstance(i.item, Episode) for i in mixed.items) == 4
    await client.get_playlist(seed.MIXED_PLAYLIST_ID)
    await client.get_playlist(seed.EMPTY_PLAYLIST_ID)

    saved = await client.get_saved_tracks()
    assert len(await client.collect(saved, SavedTrack, max_items=500)) == 130
    assert (await client.get_saved_albums()).items
    assert (await client.get_saved_shows()).items

    followed = await client.get_followed_artists()
    assert len(await client.collect(followed, Artist, max_items=500)) == 60
    assert (await client.get_followed_artists(after=followed.items[-1].id)).items

    assert (await client.get_top_artists()).items
    assert (await client.get_top_tracks(limit=50)).items
    recent = await client.get_recently_played(limit=50)
    assert len(recent.items) == 50
    assert recent.items[0].track.uri

    saved = emulator_world.user(USER).saved
    uri = next(iter(emulator_world.catalogue.albums.values())).uri
    await client.save_to_library([uri])
    assert uri in saved
    await client.remove_from_library([uri])
    assert uri not in saved


async def test_library_calls_send_at_most_40_uris(
    session: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """85 URIs go out as 40 + 40 + 5, which Spotify accepts."""
    client = _client(session, emulator, emulator_world)
    uris = [track.uri for track in list(emulator_world.catalogue.tracks.values())[:85]]
    emulator_world.request_log.clear()
    saved = emulator_world.user(USER).saved
    await client.save_to_library(uris)
    assert all(uri in saved for uri in uris)
    await client.remove_from_library(uris)
    assert not any(uri in saved for uri in uris)
    sizes = [
        entry.query.count(",") + 1
        for entry in emulator_world.request_log
        if entry.path.startswith("/v1/me/library")
    ]
    assert sizes == [40, 40, 5] * 2


async def test_followed_playlist_items_are_forbidden(
    session: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """Development Mode: a followed playlist's items raise their own error."""
    client = _client(session, emulator, emulator_world)
    playlist = await client.get_playlist(seed.CURATED_PLAYLIST_ID)
    assert (playlist.name, playlist.items) == ("Curator's Picks", None)
    with pytest.raises(SpotifyPlaylistItemsForbiddenError):
        await client.get_playlist_items(seed.CURATED_PLAYLIST_ID)
    # Other refusals keep their own class.
    no_scope = _client(session, emulator, emulator_world, scopes=["user-read-private"])
    with pytest.raises(SpotifyInsufficientScopeError):
        await no_scope.get_playlist_items(seed.BIG_PLAYLIST_ID)
    emulator_world.apps[seed.CLIENT_ID].owner_premium = False
    with pytest.raises(SpotifyAppOwnerPremiumRequiredError):
        await client.get_playlist_items(seed.CURATED_PLAYLIST_ID)


async def test_search_refuses_offsets_beyond_1000(
    session: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """Offset 1000 is the last Spotify serves; 1001 is refused before sending."""
    client = _client(session, emulator, emulator_world)
    await client.search("a", [SearchType.TRACK], offset=1000)
    emulator_world.request_log.clear()
    with pytest.raises(ValueError, match="1000"):
        await client.search("a", [SearchType.TRACK], offset=1001)
    assert not len(emulator_world.request_log)


async def test_catalogue(
    session: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """Search, albums, artists with their albums and shows with episodes parse."""
    client = _client(session, emulator, emulator_world)
    cat = emulator_world.catalogue
    artist = next(iter(cat.artists.values()))
    result = await client.search(artist.name.split()[-1], list(SearchType))
    assert result.artists is not None
    assert result.artists.items
    assert result.tracks is not None
    album = await client.get_album(next(iter(cat.albums)))
    assert album.tracks is not None
    assert album.tracks.items
    full_artist = await client.get_artist(artist.id)
    assert (full_artist.name, full_artist.uri) == (artist.name, artist.uri)
    assert full_artist.images
    albums = await client.get_artist_albums(artist.id)
    assert albums.items
    show = next(iter(cat.shows.values()))
    full_show = await client.get_show(show.id)
    assert full_show.name == show.name
    assert full_show.images
    assert full_show.episodes is not None
    assert full_show.episodes.total == len(show.episode_ids)
    episodes = await client.get_show_episodes(show.id)
    assert episodes.total == len(show.episode_ids)
    assert len(episodes.items) == 50


async def test_errors_map_to_client_exceptions(
    session: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """The emulator's error bodies land in the client's exception hierarchy."""
    free = _client(session, emulator, emulator_world, seed.FREE_USER_ID)
    with pytest.raises(SpotifyPremiumRequiredError):
        await free.pause_playback()
    outsider = _client(session, emulator, emulator_world, seed.UNREGISTERED_USER_ID)
    with pytest.raises(SpotifyUserNotRegisteredError):
        await outsider.get_current_user()
    narrow = _client(session, emulator, emulator_world, scopes=["user-read-private"])
    with pytest.raises(SpotifyInsufficientScopeError):
        await narrow.get_devices()

    client = _client(session, emulator, emulator_world)
    with pytest.raises(SpotifyForbiddenError) as forbidden:
        await client.set_volume(10, device_id=seed.PHONE_DEVICE_ID)
    assert forbidden.value.reason == "VOLUME_CONTROL_DISALLOW"
    for lookup in (client.get_album, client.get_artist, client.get_show):
        with pytest.raises(SpotifyNotFoundError):
            await lookup("0" * 22)
    with pytest.raises(SpotifyResponseError) as bad:
        await client.start_playback(uris=["spotify:track:missing"])
    assert bad.value.status == 400

    # An expired token is refreshed once, transparently.
    emulator_world.expire_access_tokens()
    assert (await client.get_current_user()).id == USER
    assert client.stats.forced_refreshes == 1
    # A 401 that survives the fresh token is a transient, not a dead grant.
    emulator_world.faults.add(FaultKind.EXPIRED_TOKEN, path_prefix="/v1/me", count=2)
    with pytest.raises(SpotifyTokenRejectedError):
        await client.get_current_user()

    emulator_world.faults.add(FaultKind.STATUS, path_prefix="/v1/me", status=502)
    with pytest.raises(SpotifyServerError):
        await client.get_current_user()
    emulator_world.faults.add(FaultKind.MALFORMED, path_prefix="/v1/me")
    with pytest.raises(SpotifyMalformedResponseError):
        await client.get_current_user()
    emulator_world.faults.add(FaultKind.RESET, path_prefix="/v1/me", count=2)
    with pytest.raises(SpotifyConnectionError):
        await client.get_current_user()

    emulator_world.config.quota_exceeded = True
    with pytest.raises(SpotifyRateLimitedError) as limited:
        await client.get_devices()
    assert limited.value.reason == "QUOTA_EXCEEDED"
    assert limited.value.retry_after == 3600
    emulator_world.config.quota_exceeded = False

    emulator_world.stop_playback(USER)
    fresh = _client(session, emulator, emulator_world)
    with pytest.raises(SpotifyNoActiveDeviceError):
        await fresh.next_track()


async def test_rate_limit_window(
    session: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """A 429 from the rolling window carries Retry-After into the client's gate."""
    emulator_world.config.rate_limit_budget = 1
    client = _client(session, emulator, emulator_world)
    await client.get_current_user()
    with pytest.raises(SpotifyRateLimitedError) as limited:
        await client.get_current_user()
    assert limited.value.retry_after == 30
    assert emulator_world.request_log.count(path="/v1/me") == 2


@pytest.mark.parametrize(
    ("path", "model"),
    [
        (
            "/me/player/currently-playing?additional_types=track,episode",
            "PlaybackState",
        ),
        ("/episodes/{episode}", "Episode"),
        ("/tracks/{track}", "Track"),
    ],
)
async def test_endpoints_the_client_does_not_call(
    session: aiohttp.ClientSession,
    emulator: EmulatorServer,
    emulator_world: World,
    path: str,
    model: str,
) -> None:
    """Responses outside the client's methods still decode with its models."""
    cat = emulator_world.catalogue
    show = next(iter(cat.shows.values()))
    url = emulator.api_url + path.format(
        episode=show.episode_ids[0],
        track=next(iter(cat.tracks)),
    )
    token = emulator_world.issue_tokens(USER).access_token
    async with session.get(url, headers={"Authorization": f"Bearer {token}"}) as resp:
        assert resp.status == 200
        raw = await resp.read()
    parsed = getattr(api, model).from_json(raw)
    assert parsed is not None


async def test_dev_mode_fields_stripped(
    session: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """Models still parse without the fields removed for development-mode apps."""
    emulator_world.config.strip_dev_mode_fields = True
    client = _client(session, emulator, emulator_world)
    user = await client.get_current_user()
    assert user.id == USER
    token = emulator_world.issue_tokens(USER).access_token
    async with session.get(
        emulator.api_url + "/me", headers={"Authorization": f"Bearer {token}"}
    ) as resp:
        assert "product" not in await resp.json()
    state = await client.get_playback_state()
    assert state is not None
    assert isinstance(state.item, Track)
    artist = next(iter(emulator_world.catalogue.artists.values()))
    result = await client.search(artist.name.split()[-1], list(SearchType))
    assert result.artists is not None
    assert result.shows is not None
    full_artist = await client.get_artist(artist.id)
    assert (full_artist.popularity, full_artist.followers) == (None, None)
    assert (await client.get_top_artists()).items
    assert (await client.get_saved_albums()).items
    assert (await client.get_saved_shows()).items

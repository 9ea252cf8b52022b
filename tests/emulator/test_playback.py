"""Playback simulation: clock-driven track ends, queue, repeat, shuffle, ads."""

from __future__ import annotations

import pytest

from spotify_emulator import PlayerError, RepeatState, World, seed
from spotify_emulator.catalogue import Track

USER = seed.PREMIUM_USER_ID


def _remaining_s(world: World) -> float:
    snap = world.snapshot(USER)
    assert snap is not None
    assert snap.item_uri is not None
    item = world.catalogue.playable(snap.item_uri)
    assert item is not None
    return (item.duration_ms - snap.progress_ms) / 1000


def _start_items(world: World) -> list[str]:
    return [e.uri for e in world.catalogue.playlists[seed.START_PLAYLIST_ID].entries]


def test_seeded_session(emulator_world: World) -> None:
    """The Premium user plays the start playlist with a non-empty queue."""
    snap = emulator_world.snapshot(USER)
    assert snap is not None
    assert snap.context_uri == f"spotify:playlist:{seed.START_PLAYLIST_ID}"
    assert snap.item_uri == _start_items(emulator_world)[seed.START_POSITION]
    assert snap.progress_ms == seed.START_PROGRESS_MS
    assert snap.is_playing
    assert len(emulator_world.playback(USER).queue) == seed.QUEUE_LENGTH
    assert snap.disallows == {"resuming": True}


def test_queue_plays_before_context(emulator_world: World) -> None:
    """At the end of a track the user queue plays first, then the context resumes."""
    items = _start_items(emulator_world)
    queued = list(emulator_world.playback(USER).queue)
    emulator_world.advance(_remaining_s(emulator_world))
    assert emulator_world.snapshot(USER).item_uri == queued[0]  # type: ignore[union-attr]
    assert emulator_world.snapshot(USER).progress_ms == 0  # type: ignore[union-attr]
    emulator_world.advance(_remaining_s(emulator_world))
    assert emulator_world.snapshot(USER).item_uri == queued[1]  # type: ignore[union-attr]
    emulator_world.advance(_remaining_s(emulator_world) + 1)
    snap = emulator_world.snapshot(USER)
    assert snap is not None
    assert snap.item_uri == items[seed.START_POSITION + 1]
    assert snap.progress_ms == 1000
    assert emulator_world.playback(USER).queue == []


def test_long_advance_walks_several_track_ends(emulator_world: World) -> None:
    """Advancing far lands on the same item as stepping track by track."""
    other = seed.seeded_world(
        clock=type(emulator_world.clock)(start=emulator_world.clock.now())
    )
    total = 0.0
    for _ in range(5):
        step = _remaining_s(other)
        other.advance(step)
        total += step
    emulator_world.advance(total + 7)
    assert emulator_world.snapshot(USER).item_uri == other.snapshot(USER).item_uri  # type: ignore[union-attr]
    assert emulator_world.snapshot(USER).progress_ms == 7000  # type: ignore[union-attr]
    # Finished tracks land in recently played.
    assert emulator_world.user(USER).history[-1].uri == other.user(USER).history[-1].uri


def test_end_of_context_stops(emulator_world: World) -> None:
    """After the last item (repeat off) playback stops on it, paused at the start."""
    items = _start_items(emulator_world)
    emulator_world.playback(USER).queue.clear()
    emulator_world.command_play(
        USER,
        context_uri=f"spotify:playlist:{seed.START_PLAYLIST_ID}",
        offset_position=len(items) - 1,
    )
    snap = emulator_world.snapshot(USER)
    assert snap is not None
    assert "skipping_next" in snap.disallows
    emulator_world.advance(_remaining_s(emulator_world) + 30)
    snap = emulator_world.snapshot(USER)
    assert snap is not None
    assert snap.item_uri == items[-1]
    assert not snap.is_playing
    assert snap.progress_ms == 0
    assert snap.disallows["pausing"]


def test_repeat_context_wraps(emulator_world: World) -> None:
    """Repeat context goes back to the first item."""
    items = _start_items(emulator_world)
    pb = emulator_world.playback(USER)
    pb.queue.clear()
    emulator_world.command_play(
        USER,
        context_uri=f"spotify:playlist:{seed.START_PLAYLIST_ID}",
        offset_uri=items[-1],
    )
    emulator_world.command_repeat(USER, RepeatState.CONTEXT)
    assert "skipping_next" not in pb.disallows()
    emulator_world.advance(_remaining_s(emulator_world))
    assert emulator_world.snapshot(USER).item_uri == items[0]  # type: ignore[union-attr]
    # Previous from the first item wraps around too.
    emulator_world.command_previous(USER)
    assert emulator_world.snapshot(USER).item_uri == items[-1]  # type: ignore[union-attr]


def test_repeat_track(emulator_world: World) -> None:
    """Repeat track replays the item, however long the clock runs."""
    pb = emulator_world.playback(USER)
    current = pb.current_uri
    emulator_world.command_repeat(USER, RepeatState.TRACK)
    emulator_world.advance(_remaining_s(emulator_world) + 3)
    snap = emulator_world.snapshot(USER)
    assert snap is not None
    assert (snap.item_uri, snap.progress_ms) == (current, 3000)
    emulator_world.advance(10 * 3600)
    assert emulator_world.snapshot(USER).item_uri == current  # type: ignore[union-attr]
    assert pb.queue  # the queue waits while a track repeats


def test_next_previous_and_seek(emulator_world: World) -> None:
    """Next uses the queue; previous restarts after 3 s; seeking past the end skips."""
    items = _start_items(emulator_world)
    pb = emulator_world.playback(USER)
    queued = list(pb.queue)
    emulator_world.command_next(USER)
    assert pb.current_uri == queued[0]
    # Previous while playing from the queue goes back to the context item.
    emulator_world.command_previous(USER)
    assert pb.current_uri == items[seed.START_POSITION]
    emulator_world.advance(10)
    emulator_world.command_previous(USER)
    assert pb.current_uri == items[seed.START_POSITION]
    assert emulator_world.snapshot(USER).progress_ms == 0  # type: ignore[union-attr]
    emulator_world.command_previous(USER)
    assert pb.current_uri == items[seed.START_POSITION - 1]
    emulator_world.command_seek(USER, 5000)
    assert emulator_world.snapshot(USER).progress_ms == 5000  # type: ignore[union-attr]
    emulator_world.command_seek(USER, 10**9)
    assert pb.current_uri == queued[1]


def test_skipping_prev_disallowed_at_start(emulator_world: World) -> None:
    """At the first item of a context, previous is disallowed and refused."""
    items = _start_items(emulator_world)
    emulator_world.command_play(USER, uris=items[:3])
    snap = emulator_world.snapshot(USER)
    assert snap is not None
    assert snap.context_uri is None
    assert snap.disallows == {"resuming": True, "skipping_prev": True}
    with pytest.raises(PlayerError) as err:
        emulator_world.command_previous(USER)
    assert (err.value.status, err.value.reason) == (403, "UNKNOWN")


def test_pause_resume_disallows(emulator_world: World) -> None:
    """Pausing twice or resuming while playing violates a restriction."""
    emulator_world.command_pause(USER)
    frozen = emulator_world.snapshot(USER)
    assert frozen is not None
    assert frozen.disallows["pausing"]
    emulator_world.advance(100)
    assert emulator_world.snapshot(USER).progress_ms == frozen.progress_ms  # type: ignore[union-attr]
    with pytest.raises(PlayerError):
        emulator_world.command_pause(USER)
    emulator_world.command_play(USER)
    with pytest.raises(PlayerError):
        emulator_world.command_play(USER)
    emulator_world.advance(2)
    assert emulator_world.snapshot(USER).progress_ms == frozen.progress_ms + 2000  # type: ignore[union-attr]


def test_shuffle_keeps_current_and_covers_context(emulator_world: World) -> None:
    """Shuffle plays every item once, starting from the current one."""
    pb = emulator_world.playback(USER)
    pb.queue.clear()
    current = pb.current_uri
    emulator_world.command_shuffle(USER, True)
    assert pb.current_uri == current
    upcoming = pb.upcoming(100)
    assert sorted([current, *upcoming]) == sorted(_start_items(emulator_world))  # type: ignore[list-item]
    assert upcoming != _start_items(emulator_world)[seed.START_POSITION + 1 :]
    pb.smart_shuffle = True
    emulator_world.command_shuffle(USER, False)
    assert (
        pb.upcoming(3)
        == _start_items(emulator_world)[
            seed.START_POSITION + 1 : seed.START_POSITION + 4
        ]
    )
    assert not pb.smart_shuffle


def test_ad_then_resume(emulator_world: World) -> None:
    """An ad hides the item, then the interrupted track carries on."""
    before = emulator_world.snapshot(USER)
    assert before is not None
    emulator_world.start_ad(USER)
    snap = emulator_world.snapshot(USER)
    assert snap is not None
    assert snap.currently_playing_type == "ad"
    assert snap.item_uri is None
    assert snap.disallows["skipping_next"]
    with pytest.raises(PlayerError):
        emulator_world.command_next(USER)
    emulator_world.advance(31)
    snap = emulator_world.snapshot(USER)
    assert snap is not None
    assert (snap.item_uri, snap.currently_playing_type) == (before.item_uri, "track")
    assert snap.progress_ms == before.progress_ms + 1000


def test_episode(emulator_world: World) -> None:
    """Episodes play in their show's context."""
    emulator_world.play_episode(USER)
    snap = emulator_world.snapshot(USER)
    assert snap is not None
    assert snap.currently_playing_type == "episode"
    assert snap.context_uri is not None
    assert snap.context_uri.startswith("spotify:show:")
    with pytest.raises(PlayerError):
        emulator_world.play_episode(USER, "spotify:track:nothing")


def test_audiobook_and_collection_contexts(emulator_world: World) -> None:
    """Audiobooks play chapters as episodes; the collection plays saved tracks."""
    book = next(iter(emulator_world.catalogue.audiobooks.values()))
    emulator_world.command_play(USER, context_uri=book.uri)
    assert emulator_world.snapshot(USER).currently_playing_type == "episode"  # type: ignore[union-attr]
    emulator_world.command_play(USER, context_uri=f"spotify:user:{USER}:collection")
    first_saved = emulator_world.user(USER).saved_of("track")[0][0]
    assert emulator_world.playback(USER).current_uri == first_saved


@pytest.mark.parametrize(
    ("kwargs", "status", "message"),
    [
        ({"context_uri": "nonsense"}, 400, "Unsupported context uri"),
        ({"context_uri": "spotify:track:abc"}, 400, "Unsupported context uri"),
        ({"context_uri": "spotify:album:0000000000000000000000"}, 404, "Not found."),
        (
            {"context_uri": f"spotify:playlist:{seed.EMPTY_PLAYLIST_ID}"},
            400,
            "Context is empty",
        ),
        ({"uris": []}, 400, "Missing uris"),
        (
            {"uris": ["spotify:track:missing"]},
            400,
            "Invalid track uri: spotify:track:missing",
        ),
        (
            {
                "context_uri": f"spotify:playlist:{seed.START_PLAYLIST_ID}",
                "offset_position": 999,
            },
            400,
            "Invalid offset",
        ),
        (
            {
                "context_uri": f"spotify:playlist:{seed.START_PLAYLIST_ID}",
                "offset_uri": "spotify:track:x",
            },
            400,
            "Invalid offset",
        ),
        ({"device_id": "missing"}, 404, "Device not found"),
        (
            {"device_id": seed.RESTRICTED_DEVICE_ID},
            403,
            "Player command failed: Restriction violated",
        ),
    ],
)
def test_play_errors(
    emulator_world: World, kwargs: dict[str, object], status: int, message: str
) -> None:
    """Bad play requests fail like Spotify's."""
    with pytest.raises(PlayerError) as err:
        emulator_world.command_play(USER, **kwargs)  # type: ignore[arg-type]
    assert (err.value.status, err.value.message) == (status, message)


def test_devices_and_transfer(emulator_world: World) -> None:
    """Transfer moves playback; restricted and missing devices refuse."""
    emulator_world.command_transfer(USER, seed.SPEAKER_DEVICE_ID, play=False)
    assert emulator_world.active_device(USER).id == seed.SPEAKER_DEVICE_ID  # type: ignore[union-attr]
    with pytest.raises(PlayerError) as err:
        emulator_world.command_transfer(USER, seed.RESTRICTED_DEVICE_ID)
    assert err.value.status == 403
    with pytest.raises(PlayerError) as err:
        emulator_world.command_transfer(USER, "missing")
    assert err.value.status == 404
    with pytest.raises(PlayerError) as err:
        emulator_world.command_volume(USER, 50, device_id=seed.PHONE_DEVICE_ID)
    assert err.value.reason == "VOLUME_CONTROL_DISALLOW"
    emulator_world.command_volume(USER, 12)
    assert emulator_world.active_device(USER).volume_percent == 12  # type: ignore[union-attr]
    # A command addressed at an inactive device finds no session there.
    with pytest.raises(PlayerError) as err:
        emulator_world.command_pause(USER, device_id=seed.COMPUTER_DEVICE_ID)
    assert err.value.reason == "NO_ACTIVE_DEVICE"


def test_null_id_device_is_restricted(emulator_world: World) -> None:
    """A session on the null-id device refuses Web API commands."""
    emulator_world.switch_device(USER, name=seed.NULL_ID_DEVICE_NAME)
    device = emulator_world.active_device(USER)
    assert device is not None
    assert device.id is None
    with pytest.raises(PlayerError) as err:
        emulator_world.command_next(USER)
    assert err.value.message == "Player command failed: Restriction violated"
    with pytest.raises(PlayerError):
        emulator_world.switch_device(USER, "missing")


def test_stop_and_no_active_device(emulator_world: World) -> None:
    """Without a session commands get NO_ACTIVE_DEVICE; play on a device revives."""
    emulator_world.stop_playback(USER)
    assert emulator_world.snapshot(USER) is None
    for command in (emulator_world.command_pause, emulator_world.command_next):
        with pytest.raises(PlayerError) as err:
            command(USER)
        assert err.value.reason == "NO_ACTIVE_DEVICE"
    with pytest.raises(PlayerError):
        emulator_world.start_ad(USER)
    emulator_world.command_play(USER, device_id=seed.SPEAKER_DEVICE_ID)
    snap = emulator_world.snapshot(USER)
    assert snap is not None
    assert snap.is_playing
    assert emulator_world.active_device(USER).id == seed.SPEAKER_DEVICE_ID  # type: ignore[union-attr]


def test_fresh_user_without_history(emulator_world: World) -> None:
    """A user who never played anything has no session to resume or transfer."""
    user = emulator_world.add_user(user_id="newcomer", display_name="New")
    assert emulator_world.snapshot("newcomer") is None
    with pytest.raises(PlayerError):
        user.playback.resume()
    with pytest.raises(PlayerError):
        user.playback.transfer("nowhere", True)
    with pytest.raises(PlayerError):
        emulator_world.play_episode("newcomer")
    with pytest.raises(PlayerError):
        emulator_world.set_volume_from_app("newcomer", 5)


def test_control_helpers(emulator_world: World) -> None:
    """The "other app" helpers move playback without Premium checks."""
    pb = emulator_world.playback(USER)
    emulator_world.skip(USER)
    emulator_world.previous(USER)
    emulator_world.pause(USER)
    assert not pb.is_playing
    emulator_world.resume(USER)
    assert pb.is_playing
    emulator_world.set_volume_from_app(USER, 77)
    assert emulator_world.active_device(USER).volume_percent == 77  # type: ignore[union-attr]
    emulator_world.switch_device(USER, seed.PHONE_DEVICE_ID)
    assert emulator_world.active_device(USER).id == seed.PHONE_DEVICE_ID  # type: ignore[union-attr]
    emulator_world.command_queue(
        USER, next(iter(emulator_world.catalogue.tracks.values())).uri
    )
    with pytest.raises(PlayerError):
        emulator_world.command_queue(USER, "spotify:track:missing")


def test_history_records_skips_after_30_seconds(emulator_world: World) -> None:
    """Skipping after 30 s of listening counts as a play."""
    user = emulator_world.user(USER)
    before = len(user.history)
    current = user.playback.current_uri
    emulator_world.command_next(USER)
    assert len(user.history) == before + 1
    assert user.history[-1].uri == current
    emulator_world.command_next(USER)
    assert len(user.history) == before + 1
    assert isinstance(emulator_world.catalogue.playable(user.history[-1].uri), Track)


def test_smart_shuffle(emulator_world: World) -> None:
    """Smart shuffle implies shuffle; turning shuffle off ends it."""
    pb = emulator_world.playback(USER)
    emulator_world.set_smart_shuffle(USER, True)
    snap = emulator_world.snapshot(USER)
    assert snap is not None
    assert (snap.shuffle_state, snap.smart_shuffle) == (True, True)
    emulator_world.set_smart_shuffle(USER, False)
    assert pb.shuffle
    assert not pb.smart_shuffle

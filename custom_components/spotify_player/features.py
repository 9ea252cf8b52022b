"""Which media player features the current playback state allows (pure)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.components.media_player import MediaPlayerEntityFeature as Feature

if TYPE_CHECKING:
    from .playback import SpotifyPlaybackData

# Offered whatever the player does: reading the library needs no Premium.
ALWAYS: Final = Feature.BROWSE_MEDIA | Feature.SEARCH_MEDIA
# Starting something works without an active device (we transfer first).
START: Final = (
    Feature.PLAY | Feature.PLAY_MEDIA | Feature.MEDIA_ENQUEUE | Feature.SELECT_SOURCE
)
VOLUME: Final = Feature.VOLUME_SET | Feature.VOLUME_STEP | Feature.VOLUME_MUTE


def supported_features(data: SpotifyPlaybackData | None, *, premium: bool) -> Feature:
    """Return the features for a snapshot.

    Player commands need Premium: an account known to lack it keeps only the
    controls that start playback, so one that works after an upgrade tells
    (subscription.py). A restricted device refuses every Web API command
    but may still be moved away from; otherwise Spotify's `actions.disallows` rules
    each control out, and volume needs a device that supports it.
    """
    if not premium:
        return ALWAYS | START
    if data is None or data.playback is None or (device := data.device) is None:
        return ALWAYS | START
    disallows = data.playback.actions.disallows
    features = ALWAYS
    if not disallows.transferring_playback:
        features |= Feature.SELECT_SOURCE
    if device.is_restricted:
        return features
    rules = (
        # Ads disallow interrupting: nothing else can be started meanwhile.
        (disallows.interrupting_playback, Feature.PLAY_MEDIA | Feature.MEDIA_ENQUEUE),
        (disallows.resuming, Feature.PLAY),
        (disallows.pausing, Feature.PAUSE | Feature.STOP),
        (disallows.skipping_next, Feature.NEXT_TRACK),
        (disallows.skipping_prev, Feature.PREVIOUS_TRACK),
        (disallows.seeking or data.item is None, Feature.SEEK),
        (disallows.toggling_shuffle, Feature.SHUFFLE_SET),
        (
            disallows.toggling_repeat_context and disallows.toggling_repeat_track,
            Feature.REPEAT_SET,
        ),
        (not device.supports_volume or device.volume_percent is None, VOLUME),
    )
    for disallowed, feature in rules:
        if not disallowed:
            features |= feature
    return features

"""Unique ids of the speakers: one per linked device name, however it is spelled."""

from __future__ import annotations

from hashlib import sha256


def speaker_unique_id(user_id: str, device_name: str) -> str:
    """Return the unique id of a linked device's media player (and its device).

    A hash of the name exactly as Spotify spells it: "Living Room", "Living-Room",
    "Küche" and "Kuche" are distinct, and so are names made of emoji only.
    """
    digest = sha256(device_name.encode()).hexdigest()[:24]
    return f"{user_id}_speaker_{digest}"

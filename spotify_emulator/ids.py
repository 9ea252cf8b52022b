"""Deterministic Spotify-like identifiers (22-character base62)."""

from __future__ import annotations

import hashlib

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
ID_LENGTH = 22


def base62_id(*parts: object) -> str:
    """Return a stable 22-character base62 id derived from `parts`."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    number = int.from_bytes(digest, "big")
    chars = []
    for _ in range(ID_LENGTH):
        number, rem = divmod(number, 62)
        chars.append(_ALPHABET[rem])
    return "".join(chars)


def hex_id(*parts: object, length: int = 40) -> str:
    """Return a stable lowercase hex id (Spotify device ids are 40 hex chars)."""
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[
        :length
    ]


def is_base62_id(value: str) -> bool:
    """Return whether `value` looks like a Spotify base62 id."""
    return len(value) == ID_LENGTH and all(c in _ALPHABET for c in value)

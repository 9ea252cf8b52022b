"""Small generated cover images: a PNG per id, in a colour derived from the id."""

from __future__ import annotations

from functools import lru_cache
import hashlib
import struct
import zlib

from aiohttp import web

MAX_SIZE = 640
DEFAULT_SIZE = 300


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return (
        struct.pack(">I", len(data))
        + body
        + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    )


@lru_cache(maxsize=256)
def cover_png(image_id: str, size: int) -> bytes:
    """Return a size x size PNG: two diagonal halves in colours derived from the id."""
    digest = hashlib.sha256(image_id.encode()).digest()
    first, second = digest[0:3], digest[3:6]
    rows = []
    for y in range(size):
        split = size - y  # pixels left of the diagonal take the first colour
        rows.append(b"\x00" + first * split + second * (size - split))
    raw = b"".join(rows)
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 6))
        + _chunk(b"IEND", b"")
    )


async def serve_image(request: web.Request) -> web.Response:
    """GET /_emulator/images/{id}.png?size=N."""
    try:
        size = int(request.query.get("size", DEFAULT_SIZE))
    except ValueError:
        size = DEFAULT_SIZE
    size = max(1, min(MAX_SIZE, size))
    body = cover_png(request.match_info["image_id"], size)
    return web.Response(
        body=body,
        content_type="image/png",
        headers={"Cache-Control": "public, max-age=86400"},
    )

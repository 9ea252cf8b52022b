"""/me, /me/following and /me/top: the user's profile and taste."""

from __future__ import annotations

from aiohttp import web

from spotify_emulator.errors import ApiError, bad_request

from .common import SCOPE_FOLLOW_READ, SCOPE_TOP_READ, Area, paging, query_int_or

TIME_RANGES = ("short_term", "medium_term", "long_term")


class Profile(Area):
    """The current user's profile, followed artists and top items."""

    async def me(self, request: web.Request) -> web.Response:
        """GET /me."""
        user = self.authenticate(request)
        return web.json_response(self.shapes(request).user(user))

    async def followed_artists(self, request: web.Request) -> web.Response:
        """GET /me/following?type=artist (cursor paging on artist id)."""
        user = self.authenticate(request, SCOPE_FOLLOW_READ)
        if request.query.get("type") != "artist":
            raise bad_request("Invalid type, only artist is supported")
        limit = query_int_or(request, "limit", 20)
        if not 1 <= limit <= 50:
            raise bad_request("Invalid limit")
        after = request.query.get("after")
        ids = sorted(uri.rsplit(":", 1)[1] for uri, _ in user.saved_of("artist"))
        start = 0
        if after:
            start = next((i + 1 for i, a in enumerate(ids) if a == after), len(ids))
        chunk = ids[start : start + limit]
        shapes = self.shapes(request)
        base = f"{shapes.api}/me/following?type=artist"
        has_more = start + limit < len(ids)
        body = {
            "href": f"{base}&limit={limit}" + (f"&after={after}" if after else ""),
            "limit": limit,
            "next": f"{base}&after={chunk[-1]}&limit={limit}"
            if has_more and chunk
            else None,
            "cursors": {"after": chunk[-1] if has_more and chunk else None},
            "total": len(ids),
            "items": [shapes.artist(self.world.catalogue.artists[a]) for a in chunk],
        }
        return web.json_response({"artists": body})

    async def top_items(self, request: web.Request) -> web.Response:
        """GET /me/top/{artists|tracks}."""
        user = self.authenticate(request, SCOPE_TOP_READ)
        kind = request.match_info["kind"]
        if kind not in {"artists", "tracks"}:
            raise ApiError(404, "Service not found")
        limit, offset = paging(request)
        time_range = request.query.get("time_range", "medium_term")
        if time_range not in TIME_RANGES:
            raise bad_request("Invalid time_range")
        ids = user.top_artist_ids if kind == "artists" else user.top_track_ids
        # Each time range sees the same favourites in a different order.
        shift = TIME_RANGES.index(time_range) * 3
        ids = ids[shift:] + ids[:shift] if ids else ids
        shapes = self.shapes(request)
        cat = self.world.catalogue
        return web.json_response(
            shapes.paged(
                f"/me/top/{kind}",
                ids,
                lambda i: (
                    shapes.artist(cat.artists[i])
                    if kind == "artists"
                    else shapes.track(cat.tracks[i])
                ),
                limit=limit,
                offset=offset,
                params={"time_range": time_range},
            )
        )

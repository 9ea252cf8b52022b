"""Development Mode rules of 2026 and the spec's limits and headers, over HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from spotify_emulator import World, seed
from spotify_emulator.errors import APP_OWNER_PREMIUM_REQUIRED

if TYPE_CHECKING:
    from collections.abc import Mapping

    import aiohttp

    from spotify_emulator import EmulatorServer

OTHER_CLIENT_ID = "0f" * 16


async def _get(
    http: aiohttp.ClientSession, url: str, headers: dict[str, str]
) -> tuple[int, Any, Mapping[str, str]]:
    async with http.get(url, headers=headers) as resp:
        body = await resp.json() if await resp.read() else None
        return resp.status, body, resp.headers


async def test_playlist_contents_only_for_owned_or_collaborative(
    http: aiohttp.ClientSession,
    emulator: EmulatorServer,
    emulator_world: World,
    premium_headers: dict[str, str],
) -> None:
    """A followed playlist shows without items; its items endpoint answers 403."""
    api = emulator.api_url
    status, playlist, _ = await _get(
        http, f"{api}/playlists/{seed.CURATED_PLAYLIST_ID}", premium_headers
    )
    assert status == 200
    assert playlist["name"] == "Curator's Picks"
    assert "items" not in playlist
    assert "tracks" not in playlist
    status, body, _ = await _get(
        http, f"{api}/playlists/{seed.CURATED_PLAYLIST_ID}/items", premium_headers
    )
    assert (status, body) == (403, {"error": {"status": 403, "message": "Forbidden"}})

    # Owned and collaborative playlists list their items.
    for playlist_id in (seed.START_PLAYLIST_ID, seed.MIXED_PLAYLIST_ID):
        status, _, _ = await _get(
            http, f"{api}/playlists/{playlist_id}/items", premium_headers
        )
        assert status == 200

    emulator_world.config.development_mode = False
    status, page, _ = await _get(
        http, f"{api}/playlists/{seed.CURATED_PLAYLIST_ID}/items", premium_headers
    )
    assert status == 200
    assert page["total"] == 20
    assert "track" not in page["items"][0]


async def test_app_owner_without_premium(
    http: aiohttp.ClientSession,
    emulator: EmulatorServer,
    emulator_world: World,
    premium_headers: dict[str, str],
) -> None:
    """Every call of an app whose owner lost Premium is refused with 403."""
    emulator_world.apps[seed.CLIENT_ID].owner_premium = False
    status, body, _ = await _get(http, f"{emulator.api_url}/me", premium_headers)
    assert (status, body) == (
        403,
        {"error": {"status": 403, "message": APP_OWNER_PREMIUM_REQUIRED}},
    )
    emulator_world.config.development_mode = False
    status, _, _ = await _get(http, f"{emulator.api_url}/me", premium_headers)
    assert status == 200


async def test_daily_quota_per_developer_account(
    http: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """Two apps of one developer share the quota; it resets at UTC midnight."""
    emulator_world.add_app(
        client_id=OTHER_CLIENT_ID,
        client_secret="secret",
        redirect_uris=seed.REDIRECT_URIS,
    )
    emulator_world.config.token_lifetime = 86_400  # outlives the wait below
    first = emulator_world.issue_tokens(seed.PREMIUM_USER_ID)
    second = emulator_world.issue_tokens(
        seed.PREMIUM_USER_ID, client_id=OTHER_CLIENT_ID
    )
    emulator_world.config.daily_quota = 3
    url = f"{emulator.api_url}/me"
    for token in (first, second, first):
        status, _, _ = await _get(
            http, url, {"Authorization": f"Bearer {token.access_token}"}
        )
        assert status == 200
    status, body, headers = await _get(
        http, url, {"Authorization": f"Bearer {second.access_token}"}
    )
    assert status == 429
    assert body["error"]["reason"] == "QUOTA_EXCEEDED"
    # The tests' world starts at 12:00 UTC: twelve hours to the reset.
    assert int(headers["Retry-After"]) == 12 * 3600
    assert emulator_world.quota.used("developer") == 3

    emulator_world.advance(12 * 3600)
    status, _, _ = await _get(
        http, url, {"Authorization": f"Bearer {second.access_token}"}
    )
    assert status == 200


async def test_error_edges(
    http: aiohttp.ClientSession,
    emulator: EmulatorServer,
    premium_headers: dict[str, str],
) -> None:
    """401 carries a challenge, search wants limit 1-10, user URIs are library URIs."""
    api = emulator.api_url
    status, _, headers = await _get(http, f"{api}/me", {})
    assert status == 401
    assert headers["WWW-Authenticate"] == 'Bearer realm="spotify"'
    status, _, headers = await _get(http, f"{api}/me", {"Authorization": "Bearer x"})
    assert headers["WWW-Authenticate"] == (
        'Bearer realm="spotify", error="invalid_token", '
        'error_description="Invalid access token"'
    )
    for query in ("limit=0", "limit=11", "offset=1001"):
        status, _, _ = await _get(
            http, f"{api}/search?q=a&type=track&{query}", premium_headers
        )
        assert status == 400, query
    user_uri = f"spotify:user:{seed.CURATOR_USER_ID}"
    async with http.put(
        f"{api}/me/library?uris={user_uri}", headers=premium_headers
    ) as resp:
        assert resp.status == 200
    status, body, _ = await _get(
        http, f"{api}/me/library/contains?uris={user_uri}", premium_headers
    )
    assert (status, body) == (200, [True])


async def test_token_replies_are_not_cached(
    http: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """Token answers, good or bad, carry Cache-Control: no-store."""
    grant = emulator_world.issue_tokens(seed.PREMIUM_USER_ID)
    for refresh_token in (grant.refresh_token, "unknown"):
        async with http.post(
            f"{emulator.url}/api/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": refresh_token,
                "client_id": seed.CLIENT_ID,
                "client_secret": seed.CLIENT_SECRET,
            },
        ) as resp:
            assert resp.headers["Cache-Control"] == "no-store"
            assert resp.headers["Pragma"] == "no-cache"

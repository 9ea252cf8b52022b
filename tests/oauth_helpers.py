"""Drive Home Assistant's OAuth2 config flow through the emulator's /authorize."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import aiohttp
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.config_entry_oauth2_flow import AUTH_CALLBACK_PATH
from yarl import URL

if TYPE_CHECKING:
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

REDIRECT_URI = "https://example.com" + AUTH_CALLBACK_PATH


async def authorize(
    hass_client_no_auth: ClientSessionGenerator, result: dict[str, Any]
) -> URL:
    """Follow the authorize URL to the emulator and hand its redirect to HA.

    The emulator auto-approves and redirects to the registered redirect URI with
    `code` and `state`; the test client then calls HA's real
    /auth/external/callback with exactly that query. Returns the redirect URL.
    """
    assert result["type"] is FlowResultType.EXTERNAL_STEP
    async with (
        aiohttp.ClientSession() as session,
        session.get(result["url"], allow_redirects=False) as resp,
    ):
        assert resp.status == 302
        location = URL(resp.headers["Location"])
    assert str(location.with_query(None)) == REDIRECT_URI

    client = await hass_client_no_auth()
    resp = await client.get(f"{AUTH_CALLBACK_PATH}?{location.query_string}")
    assert resp.status == 200
    assert resp.headers["content-type"] == "text/html; charset=utf-8"
    return location

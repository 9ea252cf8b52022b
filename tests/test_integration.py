"""The integration loads in Home Assistant and its metadata holds together."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from awesomeversion import AwesomeVersion
from homeassistant import const as ha_const
from homeassistant.loader import async_get_integration
from homeassistant.setup import async_setup_component
import pytest

from custom_components.spotify_player.const import DOMAIN
from tests.helpers import INTEGRATION, STRINGS

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

ROOT = Path(__file__).parents[1]

# Keys the HACS integration manifest schema accepts.
HACS_KEYS = {
    "name",
    "content_in_root",
    "zip_release",
    "filename",
    "hide_default_branch",
    "country",
    "homeassistant",
    "persistent_directory",
    "hacs",
}


@pytest.mark.usefixtures("enable_custom_integrations")
async def test_integration_loads(hass: HomeAssistant) -> None:
    """Home Assistant finds the custom integration and sets up its domain."""
    integration = await async_get_integration(hass, DOMAIN)

    assert integration.name == "Spotify Player"
    assert integration.config_flow is True
    assert integration.dependencies == ["application_credentials"]
    assert await async_setup_component(hass, DOMAIN, {})
    assert DOMAIN in hass.config.components


def test_manifest_key_order() -> None:
    """Hassfest wants domain and name first, then the other keys sorted."""
    manifest = json.loads((INTEGRATION / "manifest.json").read_text())
    keys = list(manifest)

    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])
    assert manifest["requirements"] == []
    assert manifest["integration_type"] == "service"
    assert manifest["iot_class"] == "cloud_polling"


def test_hacs_manifest() -> None:
    """hacs.json uses only keys HACS accepts and claims a version we test."""
    hacs = json.loads((ROOT / "hacs.json").read_text())

    assert set(hacs) <= HACS_KEYS
    assert AwesomeVersion(ha_const.__version__) >= AwesomeVersion(hacs["homeassistant"])


def test_translations_match_strings() -> None:
    """The English translation is generated from strings.json and kept in sync."""
    english = json.loads((INTEGRATION / "translations" / "en.json").read_text())

    assert english == STRINGS


def test_brand_images_are_square_pngs() -> None:
    """The brand folder ships a 256x256 icon and a logo."""
    for name in ("icon.png", "logo.png"):
        header = (INTEGRATION / "brand" / name).read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        width = int.from_bytes(header[16:20], "big")
        height = int.from_bytes(header[20:24], "big")
        assert (width, height) == (256, 256)

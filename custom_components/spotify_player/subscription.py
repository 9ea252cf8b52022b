"""Whether the account has Spotify Premium, remembered with the config entry.

Development Mode profiles carry no `product` (February 2026), and no request that
leaves playback alone tells a free account from a Premium one: Spotify says so only
by refusing a player command (403 PREMIUM_REQUIRED). So the answer is learnt from
the profile when Spotify sends it, else from the first refusal or the first
command that works, and stored in the entry, so a restart does not offer a free
account controls that can only fail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.core import HomeAssistant, callback

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry

CONF_PREMIUM: Final = "premium"
PREMIUM_PRODUCT: Final = "premium"


def stored_premium(entry: ConfigEntry) -> bool | None:
    """Return what the entry remembers: True, False, or None when never learnt."""
    value = entry.data.get(CONF_PREMIUM)
    return value if isinstance(value, bool) else None


def product_is_premium(product: str | None) -> bool | None:
    """Read the profile's `product`; None when Spotify did not send it."""
    return None if product is None else product == PREMIUM_PRODUCT


@callback
def async_store_premium(hass: HomeAssistant, entry: ConfigEntry, premium: bool) -> None:
    """Remember the answer (written only when it changes)."""
    if stored_premium(entry) is not premium:
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_PREMIUM: premium}
        )

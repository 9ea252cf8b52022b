"""Whether the account has Spotify Premium, remembered with the config entry.

Development Mode profiles carry no `product` (February 2026), and no request that
leaves playback alone tells a free account from a Premium one: Spotify says so only
by refusing a player command (403 PREMIUM_REQUIRED). So the answer is learnt from
the profile when Spotify sends it, else from the first refusal or the first
command that works, and stored in the entry, so a restart does not offer a free
account controls that can only fail.

`async_note_premium` is the one hook for what Spotify said: setup (the profile),
commands (one that worked) and the error table (a refusal) all call it, and it
stores the answer and raises or clears the repair. A refused account keeps the
controls that start playback, so one command that works after an upgrade brings
every control back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.core import HomeAssistant, callback

from .issues import IssueKind, async_create_issue, async_delete_issue

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry

CONF_PREMIUM: Final = "premium"
PREMIUM_PRODUCT: Final = "premium"


def allows_control(entry: ConfigEntry) -> bool:
    """Whether every control is offered: the account is not known to lack Premium."""
    return stored_premium(entry) is not False


def stored_premium(entry: ConfigEntry) -> bool | None:
    """Return what the entry remembers: True, False, or None when never learnt."""
    value = entry.data.get(CONF_PREMIUM)
    return value if isinstance(value, bool) else None


def product_is_premium(product: str | None) -> bool | None:
    """Read the profile's `product`; None when Spotify did not send it."""
    return None if product is None else product == PREMIUM_PRODUCT


@callback
def async_note_premium(
    hass: HomeAssistant, entry: ConfigEntry, *, premium: bool
) -> None:
    """Remember what Spotify said, and raise or clear the Premium repair with it."""
    if premium:
        async_delete_issue(hass, entry.entry_id, IssueKind.PREMIUM_REQUIRED)
    else:
        async_create_issue(hass, entry, IssueKind.PREMIUM_REQUIRED)
    if stored_premium(entry) is not premium:
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_PREMIUM: premium}
        )

"""Fix flows for the Spotify Player repair issues.

Every fixable issue of this integration is fixed the same way: sign in to
Spotify again. The fix flow confirms and then starts the entry's reauth flow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components.repairs import ConfirmRepairFlow, RepairsFlow

if TYPE_CHECKING:
    # Only for typing: Home Assistant 2026.3 has no RepairsFlowResult.
    from homeassistant.components.repairs import RepairsFlowResult
    from homeassistant.core import HomeAssistant


class ReauthRepairFlow(ConfirmRepairFlow):
    """Confirm, then start reauth for the issue's config entry."""

    def __init__(self, entry_id: str) -> None:
        """Remember which entry the issue belongs to."""
        super().__init__()
        self._entry_id = entry_id

    async def async_step_confirm(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Start reauth once the user confirmed."""
        if user_input is None:
            return await super().async_step_confirm()
        # A removed entry needs no reauth; finishing still clears its stale issue.
        if (
            entry := self.hass.config_entries.async_get_entry(self._entry_id)
        ) is not None:
            entry.async_start_reauth(self.hass)
        return self.async_create_entry(data={})


async def async_create_fix_flow(
    hass: HomeAssistant,
    issue_id: str,
    data: dict[str, str | int | float | None] | None,
) -> RepairsFlow:
    """Create the fix flow of a fixable issue."""
    return ReauthRepairFlow(str((data or {}).get("entry_id", "")))

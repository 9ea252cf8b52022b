"""Entity actions act once per account, whichever of its players a call targets.

An `all`, area or device target can take in the account's player and its speakers;
each would send the same request (or play in two places at once). One player per
account acts: the account's own when targeted, else the first targeted speaker (by
entity id). The others return no response.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components.media_player import DOMAIN as MEDIA_PLAYER_DOMAIN
from homeassistant.const import ATTR_ENTITY_ID, ENTITY_MATCH_ALL
from homeassistant.helpers import entity_registry as er, service

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from homeassistant.core import ServiceCall, ServiceResponse

    from .entity import SpotifyPlayerEntity


async def async_entity_action(
    method: str, entity: SpotifyPlayerEntity, call: ServiceCall
) -> ServiceResponse:
    """Run `method` of `entity` with the call's fields, if it acts for its account."""
    if not await _acts_for_account(entity, call):
        return None
    fields = service.remove_entity_service_fields(call)
    result: ServiceResponse = await getattr(entity, method)(**fields)
    return result


async def _acts_for_account(entity: SpotifyPlayerEntity, call: ServiceCall) -> bool:
    registry = er.async_get(call.hass)
    entry = entity.coordinator.config_entry
    players = {
        item.entity_id: item
        for item in er.async_entries_for_config_entry(registry, entry.entry_id)
        if item.domain == MEDIA_PLAYER_DOMAIN
    }
    if call.data.get(ATTR_ENTITY_ID) != ENTITY_MATCH_ALL:
        targeted = await service.async_extract_entity_ids(call)
        players = {key: item for key, item in players.items() if key in targeted}
    account = entity.runtime.user.id
    actor = next(
        (key for key, item in players.items() if item.unique_id == account),
        min(players, default=entity.entity_id),
    )
    return actor == entity.entity_id


def action_handler(
    method: str,
) -> Callable[[SpotifyPlayerEntity, ServiceCall], Awaitable[ServiceResponse]]:
    """Return the entity-service function that runs `method` once per account."""

    async def handle(entity: SpotifyPlayerEntity, call: ServiceCall) -> ServiceResponse:
        return await async_entity_action(method, entity, call)

    return handle

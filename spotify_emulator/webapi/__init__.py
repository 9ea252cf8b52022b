"""Spotify Web API routes (/v1/...), one module per area.

`common` holds what every area shares (authentication, query parsing, paging); each
area module holds its handlers; `WebApi.routes` is the one route table.
"""

from __future__ import annotations

from aiohttp import web

from .catalogue import Catalogue
from .commands import Commands
from .common import Area
from .library import Library
from .player import Player
from .playlists import Playlists
from .profile import Profile


class WebApi(Area):
    """Every Web API endpoint the integration's client uses."""

    def routes(self) -> list[web.RouteDef]:
        """Return the route table."""
        world = self.world
        me, player, commands = Profile(world), Player(world), Commands(world)
        playlists, library, catalogue = (
            Playlists(world),
            Library(world),
            Catalogue(world),
        )
        return [
            web.get("/v1/me", me.me),
            web.get("/v1/me/player", player.player_state),
            web.put("/v1/me/player", commands.transfer),
            web.get("/v1/me/player/devices", player.devices),
            web.get("/v1/me/player/currently-playing", player.currently_playing),
            web.put("/v1/me/player/play", commands.play),
            web.put("/v1/me/player/pause", commands.pause),
            web.post("/v1/me/player/next", commands.next),
            web.post("/v1/me/player/previous", commands.previous),
            web.put("/v1/me/player/seek", commands.seek),
            web.put("/v1/me/player/volume", commands.volume),
            web.put("/v1/me/player/shuffle", commands.shuffle),
            web.put("/v1/me/player/repeat", commands.repeat),
            web.get("/v1/me/player/queue", player.queue),
            web.post("/v1/me/player/queue", commands.add_to_queue),
            web.get("/v1/me/player/recently-played", player.recently_played),
            web.get("/v1/me/playlists", playlists.my_playlists),
            web.get("/v1/playlists/{playlist_id}", playlists.playlist),
            web.get("/v1/playlists/{playlist_id}/items", playlists.playlist_items),
            web.get("/v1/me/tracks", library.saved_tracks),
            web.get("/v1/me/albums", library.saved_albums),
            web.get("/v1/me/shows", library.saved_shows),
            web.get("/v1/me/episodes", library.saved_episodes),
            web.get("/v1/me/following", me.followed_artists),
            web.get("/v1/me/top/{kind}", me.top_items),
            web.get("/v1/search", catalogue.search),
            web.get("/v1/albums/{album_id}", catalogue.album),
            web.get("/v1/artists/{artist_id}", catalogue.artist),
            web.get("/v1/artists/{artist_id}/albums", catalogue.artist_albums),
            web.get("/v1/shows/{show_id}", catalogue.show),
            web.get("/v1/shows/{show_id}/episodes", catalogue.show_episodes),
            web.get("/v1/episodes/{episode_id}", catalogue.episode),
            web.get("/v1/tracks/{track_id}", catalogue.track),
            web.put("/v1/me/library", library.library_save),
            web.delete("/v1/me/library", library.library_remove),
            web.get("/v1/me/library/contains", library.library_contains),
        ]

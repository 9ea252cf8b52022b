"""Command line entry point: `python -m spotify_emulator --port 8099`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from typing import TYPE_CHECKING

from . import seed
from .clock import Clock, ManualClock, RealClock
from .config import EmulatorConfig
from .server import EmulatorServer

if TYPE_CHECKING:
    from .world import World


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m spotify_emulator", description="Run the local Spotify emulator."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind")
    parser.add_argument("--port", type=int, default=8099, help="port (0 picks one)")
    parser.add_argument("--seed", type=int, default=0, help="catalogue seed")
    parser.add_argument(
        "--manual-clock",
        action="store_true",
        help="freeze time; move it with POST /_emulator/clock/advance",
    )
    parser.add_argument(
        "--auto-approve",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="redirect from /authorize at once instead of showing a consent page",
    )
    parser.add_argument("--token-lifetime", type=int, default=3600, help="seconds")
    parser.add_argument(
        "--rotate-refresh-tokens",
        action="store_true",
        help="refresh responses carry a new refresh token",
    )
    parser.add_argument("--rate-limit-budget", type=int, default=600, help="per window")
    parser.add_argument("--rate-limit-window", type=float, default=30.0, help="seconds")
    parser.add_argument(
        "--development-mode",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="apply Spotify's Development Mode rules of 2026",
    )
    parser.add_argument(
        "--daily-quota",
        type=int,
        default=EmulatorConfig().daily_quota,
        help="requests per UTC day and developer account (Development Mode)",
    )
    parser.add_argument(
        "--wake-delay",
        type=float,
        default=EmulatorConfig().wake_delay,
        help="seconds a sleeping device takes to join once woken",
    )
    parser.add_argument(
        "--redirect-uri",
        action="append",
        default=None,
        help="registered redirect URI (repeatable; replaces the defaults)",
    )
    return parser.parse_args(argv)


def build_world(args: argparse.Namespace) -> World:
    """Create the seeded world the command line describes."""
    config = EmulatorConfig(
        token_lifetime=args.token_lifetime,
        rotate_refresh_tokens=args.rotate_refresh_tokens,
        auto_approve=args.auto_approve,
        rate_limit_budget=args.rate_limit_budget,
        rate_limit_window=args.rate_limit_window,
        development_mode=args.development_mode,
        daily_quota=args.daily_quota,
        wake_delay=args.wake_delay,
    )
    clock: Clock = ManualClock() if args.manual_clock else RealClock()
    world = seed.seeded_world(clock=clock, config=config, seed=args.seed)
    if args.redirect_uri:
        world.apps[seed.CLIENT_ID].redirect_uris = list(args.redirect_uri)
    return world


async def serve(args: argparse.Namespace) -> None:
    """Run until interrupted."""
    server = EmulatorServer(build_world(args), host=args.host, port=args.port)
    await server.start()
    app = server.world.apps[seed.CLIENT_ID]
    print(f"Spotify emulator on {server.url}")  # noqa: T201
    print(f"  SPOTIFY_PLAYER_ACCOUNTS_URL={server.url}")  # noqa: T201
    print(f"  SPOTIFY_PLAYER_API_URL={server.api_url}")  # noqa: T201
    print(f"  client id:     {app.client_id}")  # noqa: T201
    print(f"  client secret: {app.client_secret}")  # noqa: T201
    print(f"  redirect URIs: {', '.join(app.redirect_uris)}")  # noqa: T201
    print(f"  control API:   {server.url}/_emulator/")  # noqa: T201
    try:
        await asyncio.Event().wait()
    finally:
        await server.close()


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    args = parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args))


if __name__ == "__main__":
    main()

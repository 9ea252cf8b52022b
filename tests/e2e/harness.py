"""The demo's processes (the emulator, a real hass): start, onboard, wait."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
import json
import os
from pathlib import Path
import signal
import socket
import subprocess
import sys
import time
from typing import TYPE_CHECKING, Any

import aiohttp

from scripts import demo_config

from .clients import HomeAssistantClient

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from .clients import EmulatorClient

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# The tests run on the Home Assistant the test harness pins; the demo they drive is the
# newest release (requirements_newest.txt), as scripts/develop runs it.
NEWEST_BIN = REPO / ".venv-newest" / "bin"
OWNER = {"name": "Demo", "username": "demo", "password": "demo-password"}

# A line with any of these in Home Assistant's log means the first start broke.
LOG_PROBLEMS = (
    "Attempting install of",  # something was missing that scripts/setup must install
    "Unable to install package",
    "Error during setup",
    "Invalid config",
)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def skip_location_onboarding(config_dir: Path) -> None:
    """Mark every onboarding step but the owner's done, before the first start.

    Onboarding's location step would add weather, radio and text-to-speech
    integrations that go to the internet; the user step is done over HTTP.
    """
    storage = config_dir / ".storage"
    storage.mkdir(parents=True, exist_ok=True)
    (storage / "onboarding").write_text(
        json.dumps(
            {
                "version": 4,
                "minor_version": 1,
                "key": "onboarding",
                "data": {"done": ["core_config", "analytics", "integration"]},
            }
        )
    )


def log_problems(text: str) -> list[str]:
    """Return the lines of a Home Assistant log that show a broken start."""
    return [line for line in text.splitlines() if any(p in line for p in LOG_PROBLEMS)]


async def wait_for[T](
    check: Callable[[], Awaitable[T | None]], what: str, seconds: float = 30
) -> T:
    """Poll `check` until it returns something other than None."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            result = await check()
        except aiohttp.ClientError:
            result = None
        if result is not None:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {seconds} s waiting for {what}")
        await asyncio.sleep(0.1)


@dataclass(kw_only=True)
class Service:
    """A subprocess whose output goes to a file."""

    args: list[str]
    log: Path
    env: dict[str, str] = field(default_factory=dict)
    own_session: bool = False
    """Run in a session of its own, and stop it with everything it started."""
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start it, appending to its log."""
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter
                self.args,
                cwd=REPO,
                env={**os.environ, **self.env},
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=self.own_session,
            )

    def stop(self) -> int | None:
        """Stop it like Ctrl+C would, killing it if it takes too long."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self._signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                self.process.wait()
        if self.own_session:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
        code, self.process = self.process.returncode, None
        return code

    def _signal(self, number: signal.Signals) -> None:
        assert self.process is not None
        if self.own_session:
            os.killpg(self.process.pid, number)
        else:
            self.process.send_signal(number)


@dataclass(kw_only=True)
class Demo:
    """The demo as a user runs it: the emulator, and Home Assistant on its config."""

    config_dir: Path
    ha_url: str
    emulator_url: str
    emulator: Service
    hass: Service
    token: str = ""
    entry_id: str = ""
    entity_id: str = ""
    link_requests: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def create(cls, base: Path) -> Demo:
        """Lay out a demo in `base` on free ports; start nothing yet."""
        assert (NEWEST_BIN / "hass").exists(), "run scripts/setup --newest"
        ha_port, emulator_port = free_port(), free_port()
        ha_url = f"http://127.0.0.1:{ha_port}"
        emulator_url = f"http://127.0.0.1:{emulator_port}"
        config_dir = base / "config"
        demo_config.write(config_dir, ha_port, emulator_url)
        skip_location_onboarding(config_dir)
        return cls(
            config_dir=config_dir,
            ha_url=ha_url,
            emulator_url=emulator_url,
            emulator=Service(
                args=[
                    str(BIN / "python"),
                    "-m",
                    "spotify_emulator",
                    "--port",
                    str(emulator_port),
                    "--redirect-uri",
                    f"{ha_url}/auth/external/callback",
                ],
                log=base / "emulator.log",
            ),
            hass=Service(
                args=[str(NEWEST_BIN / "hass"), "--config", str(config_dir)],
                log=base / "hass.out",
                env={
                    **demo_config.environment(ha_port),
                    "SPOTIFY_PLAYER_ACCOUNTS_URL": emulator_url,
                    "SPOTIFY_PLAYER_API_URL": f"{emulator_url}/v1",
                },
            ),
        )

    def log_text(self) -> str:
        """Return everything Home Assistant logged, over every start."""
        logs = sorted(self.config_dir.glob("home-assistant.log*"), reverse=True)
        return "".join(path.read_text(errors="replace") for path in logs)

    def stored_token(self) -> dict[str, Any] | None:
        """Return the token Home Assistant saved with the config entry (1 s late)."""
        path = self.config_dir / ".storage" / "core.config_entries"
        if not path.exists():
            return None
        for entry in json.loads(path.read_text())["data"]["entries"]:
            if entry["entry_id"] == self.entry_id:
                token: dict[str, Any] = entry["data"]["token"]
                return token
        return None

    async def saved_token(self) -> dict[str, Any]:
        """Wait for the config entry's token to be saved, and return it."""

        async def saved() -> dict[str, Any] | None:
            return self.stored_token()

        return await wait_for(saved, "the config entry to be saved", 10)

    async def wait_until_running(self, session: aiohttp.ClientSession) -> None:
        """Wait until Home Assistant has started and serves its API."""

        async def running() -> bool | None:
            assert self.hass.process is not None
            if self.hass.process.poll() is not None:
                raise AssertionError(
                    f"hass exited with {self.hass.process.returncode}; see "
                    f"{self.hass.log}"
                )
            if not self.token:
                async with session.get(f"{self.ha_url}/api/onboarding") as response:
                    return True if response.status == 200 else None
            async with session.get(
                f"{self.ha_url}/api/config",
                headers={"Authorization": f"Bearer {self.token}"},
            ) as response:
                if response.status != 200:
                    return None
                return True if (await response.json())["state"] == "RUNNING" else None

        await wait_for(running, "Home Assistant to start", 90)


async def onboard(session: aiohttp.ClientSession, ha_url: str) -> str:
    """Create the owner as onboarding does; return the access token its code gives.

    Returns once Home Assistant has finished starting.
    """
    client_id = f"{ha_url}/"
    async with session.post(
        f"{ha_url}/api/onboarding/users",
        json={"client_id": client_id, "language": "en", **OWNER},
    ) as response:
        assert response.status == 200, await response.text()
        code = (await response.json())["auth_code"]
    async with session.post(
        f"{ha_url}/auth/token",
        data={"grant_type": "authorization_code", "code": code, "client_id": client_id},
    ) as response:
        assert response.status == 200, await response.text()
        token = str((await response.json())["access_token"])
    await until_running(session, ha_url, token)
    # What onboarding's location step would have asked for.
    await HomeAssistantClient(session, ha_url, token).ws(
        "config/core/update", country="SE"
    )
    return token


async def until_running(session: aiohttp.ClientSession, url: str, token: str) -> None:
    """Wait until Home Assistant at `url` has set everything up."""

    async def running() -> bool | None:
        async with session.get(
            f"{url}/api/config", headers={"Authorization": f"Bearer {token}"}
        ) as response:
            if response.status != 200:
                return None
            return True if (await response.json())["state"] == "RUNNING" else None

    await wait_for(running, "Home Assistant to finish starting", 90)


async def ensure_playing(
    ha: HomeAssistantClient, emulator: EmulatorClient, entity_id: str
) -> dict[str, Any]:
    """Make the emulator play and Home Assistant show it; return the state."""
    if not (await emulator.playback()).get("is_playing"):
        await ha.call("media_player", "media_play", {"entity_id": entity_id})

    async def shows_playing() -> dict[str, Any] | None:
        state = await ha.state(entity_id)
        return state if state["state"] == "playing" else None

    return await wait_for(shows_playing, "the media player to show playing", 10)

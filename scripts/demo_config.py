"""The demo's Home Assistant configuration, and the packages it needs.

    python -m scripts.demo_config write CONFIG_DIR [--port 8123] [--emulator URL]
        write CONFIG_DIR/configuration.yaml (unless someone else wrote the file
        there) and link the integration into CONFIG_DIR/custom_components; with
        the emulator's URL, add the power switch of its sleeping AVR.
    python -m scripts.demo_config requirements
        print every requirement Home Assistant installs when that configuration
        starts, so that scripts/setup can install them beforehand.

scripts/develop and the end-to-end tests both run this configuration.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from spotify_emulator import seed

REPO = Path(__file__).resolve().parent.parent
INTEGRATION = REPO / "custom_components" / "spotify_player"

MARKER = "# Written by scripts/develop at every start: edits here are lost."

# No default_config: its "my" integration would send the Spotify login to
# my.home-assistant.io. Home Assistant sets up its frontend, onboarding and the
# media player platform anyway. The URL to open is a loopback IP, the only kind of
# http redirect URI Spotify accepts. No http section: Home Assistant now keeps
# those settings in its storage and asks to confirm a YAML one; the port comes
# from SETUP_PORT (environment()). The frontend asks the recorder for its state,
# and the media player's more-info dialog shows its history: history (with the
# recorder) stays. Automations made in the UI (and from imported blueprints) go to
# automations.yaml, as in a new installation's configuration.
TEMPLATE = """\
{marker}
homeassistant:
  name: Spotify Player demo
  internal_url: http://127.0.0.1:{port}
automation: !include automations.yaml
history:
logger:
  default: info
  logs:
    custom_components.spotify_player: debug
"""

# The emulator's "Living Room AVR" sleeps until its power comes on. This switch is
# its smart plug: link the two in Spotify Player's options (Linked speakers),
# and playing on the sleeping AVR turns the switch on, which wakes it.
SLEEPER_POWER = """\
rest_command:
  living_room_avr_wake:
    url: {device_url}/wake
    method: post
  living_room_avr_sleep:
    url: {device_url}/sleep
    method: post
template:
  - switch:
      - name: Living Room AVR power
        unique_id: living_room_avr_power
        turn_on:
          - action: rest_command.living_room_avr_wake
        turn_off:
          - action: rest_command.living_room_avr_sleep
"""

# Set up on every start whatever the configuration says (homeassistant.bootstrap),
# plus the integration's own config entry.
CONFIGURED_DOMAINS = (
    "homeassistant",
    "automation",
    "history",
    "logger",
    "rest_command",
    "template",
    INTEGRATION.name,
)
# Set up when onboarding's location step is done
# (homeassistant.components.onboarding.views.CoreConfigOnboardingView).
ONBOARDING_DOMAINS = ("google_translate", "met", "radio_browser", "shopping_list")


def environment(port: int) -> dict[str, str]:
    """Return the variables that make Home Assistant serve on `port`."""
    return {"SETUP_PORT": str(port)}


def render(port: int, emulator_url: str | None = None) -> str:
    """Return the configuration.yaml of a demo served on `port`.

    With `emulator_url`, the demo gets the power switch of the emulator's AVR.
    """
    configuration = TEMPLATE.format(marker=MARKER, port=port)
    if emulator_url is None:
        return configuration
    device_url = (
        f"{emulator_url}/_emulator/users/{seed.PREMIUM_USER_ID}"
        f"/devices/{seed.SLEEPER_DEVICE_KEY}"
    )
    return configuration + SLEEPER_POWER.format(device_url=device_url)


def write(config_dir: Path, port: int, emulator_url: str | None = None) -> None:
    """Write the demo configuration into `config_dir`, keeping a user's own file."""
    (config_dir / "custom_components").mkdir(parents=True, exist_ok=True)
    link = config_dir / "custom_components" / INTEGRATION.name
    if link.is_symlink() or not link.exists():
        link.unlink(missing_ok=True)
        link.symlink_to(INTEGRATION, target_is_directory=True)
    automations = config_dir / "automations.yaml"
    if not automations.exists():
        automations.write_text("[]\n")
    configuration = config_dir / "configuration.yaml"
    if configuration.exists() and not configuration.read_text().startswith(MARKER):
        print(f"demo_config: keeping {configuration}, not written by scripts/develop")
        return
    configuration.write_text(render(port, emulator_url))
    # SETUP_PORT only applies until Home Assistant stored its HTTP settings; they
    # are all defaults here, so forgetting them moves the demo to the new port.
    http_settings = config_dir / ".storage" / "http"
    if http_settings.exists() and _stored_port(http_settings) != port:
        http_settings.unlink()


def _stored_port(http_settings: Path) -> int | None:
    """Return the port Home Assistant stored as its confirmed HTTP setting."""
    try:
        return int(
            json.loads(http_settings.read_text())["data"]["stable"]["server_port"]
        )
    except KeyError, TypeError, ValueError:
        return None


def requirements() -> list[str]:
    """Return the requirements of every integration the demo makes Home Assistant load.

    Home Assistant installs, before setting an integration up, the requirements of
    that integration, of its dependencies and after-dependencies, recursively, and
    of the discovery integrations its manifest refers to (homeassistant.requirements).
    The integrations set up are the configured ones, DEFAULT_INTEGRATIONS, every
    base platform (homeassistant.bootstrap) and those onboarding adds.
    """
    import homeassistant  # noqa: PLC0415 - only this command needs Home Assistant
    from homeassistant.bootstrap import DEFAULT_INTEGRATIONS  # noqa: PLC0415
    from homeassistant.const import BASE_PLATFORMS  # noqa: PLC0415
    from homeassistant.requirements import DISCOVERY_INTEGRATIONS  # noqa: PLC0415

    built_in = Path(homeassistant.__file__).parent / "components"
    pending = {
        *CONFIGURED_DOMAINS,
        *ONBOARDING_DOMAINS,
        *DEFAULT_INTEGRATIONS,
        *BASE_PLATFORMS,
    }
    seen: set[str] = set()
    found: set[str] = set()
    while pending:
        domain = pending.pop()
        seen.add(domain)
        path = built_in / domain / "manifest.json"
        if domain == INTEGRATION.name:
            path = INTEGRATION / "manifest.json"
        if not path.exists():
            continue
        manifest = json.loads(path.read_text())
        found.update(manifest.get("requirements", []))
        pending.update(manifest.get("dependencies", []))
        pending.update(manifest.get("after_dependencies", []))
        pending.update(
            discovery
            for discovery, keys in DISCOVERY_INTEGRATIONS.items()
            if any(key in manifest for key in keys)
        )
        pending -= seen
    return sorted(found, key=str.lower)


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    write_command = commands.add_parser("write", help="write a demo configuration")
    write_command.add_argument("config_dir", type=Path)
    write_command.add_argument("--port", type=int, default=8123)
    write_command.add_argument(
        "--emulator", metavar="URL", help="the Spotify emulator's URL, if one runs"
    )
    commands.add_parser("requirements", help="print the requirements it needs")
    args = parser.parse_args()
    if args.command == "write":
        write(args.config_dir, args.port, args.emulator)
    else:
        print("\n".join(requirements()))


if __name__ == "__main__":
    main()

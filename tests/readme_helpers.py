"""The README read as the tests need it: its sections, its YAML blocks and their places.

Every YAML block in the README follows an HTML comment that names where it goes:
`<!-- example: automations.yaml -->` (and `configuration.yaml`, `action`, `card`) or
`<!-- response: <action> -->` for an action's sample response.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
import re
from typing import Any

import yaml

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
TEXT = README.read_text(encoding="utf-8")
YAML_FENCE = "```yaml\n"
_BLOCK = re.compile(
    r"<!-- (example|response): ([^>]+?) -->\n```yaml\n(.*?)```", re.DOTALL
)
# Stands for the user's own playlist in the examples; any valid id checks the same.
PLACEHOLDER_ID = "YOUR_OWN_PLAYLIST_ID"
SOME_ID = "0" * 22


@dataclass(frozen=True, slots=True)
class Block:
    """A YAML block of the README: `example` or `response`, and for what."""

    kind: str
    place: str
    text: str

    def load(self) -> Any:
        """Parse it (the user's placeholder replaced by a valid id)."""
        return yaml.safe_load(self.text.replace(PLACEHOLDER_ID, SOME_ID))


BLOCKS = [Block(*match) for match in _BLOCK.findall(TEXT)]


def blocks(kind: str, place: str | None = None) -> list[Block]:
    """Return the blocks of a kind, for one place if named."""
    return [
        block
        for block in BLOCKS
        if block.kind == kind and (place is None or block.place == place)
    ]


def section(heading: str, text: str = TEXT) -> str:
    """Return the text under `## Title` or `### Title` up to the next heading."""
    level = heading.split(" ", 1)[0]
    start = text.index(f"\n{heading}\n")
    ends = [
        found
        for marker in ("\n## ", f"\n{level} ")
        if (found := text.find(marker, start + 1)) != -1
    ]
    return text[start : min(ends) if ends else None]


def action_section(action: str) -> str:
    """Return the Actions subsection whose heading names `spotify_player.<action>`."""
    for match in re.finditer(r"\n### (.+)\n", TEXT):
        if f"`spotify_player.{action}`" in match.group(1):
            return section(f"### {match.group(1)}")
    msg = f"no section for spotify_player.{action}"
    raise AssertionError(msg)


def slug(heading: str) -> str:
    """GitHub's anchor of a heading."""
    text = heading.strip().lower().replace("`", "")
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(text: str) -> set[str]:
    """Return the anchors of every heading of a Markdown text."""
    return {slug(heading) for heading in re.findall(r"^#+ (.+)$", text, re.MULTILINE)}

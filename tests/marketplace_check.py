"""What the Marketplace of the newest Home Assistant makes of a repository.

Run by the newest release's interpreter (tests/test_marketplace.py does):

    .venv-newest/bin/python tests/marketplace_check.py REPOSITORY_DIR

It lays the repository out as the Marketplace downloads it from GitHub (the archive of
a version: the files git tracks, below one top folder) and runs the Marketplace's own
code on it, as adding it as a custom repository of type Integration and installing it
would: hacs.json read by its validators, the content found in the tree, the
integration's manifest.json read, the minimum Home Assistant version compared, the
content extracted from the archive and the written manifest.json checked to be one the
loader loads. Nothing goes to GitHub.

It prints one JSON object: what the Marketplace read, and `refusals`, in the
Marketplace's own English words (empty when it accepts everything).
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
from pathlib import Path
import subprocess
import sys
import tempfile
from typing import Any
import zipfile

from awesomeversion import AwesomeVersion
from homeassistant.components import marketplace
from homeassistant.components.marketplace.base import MarketplaceCore
from homeassistant.components.marketplace.enums import LovelaceMode, RepositoryFile
from homeassistant.components.marketplace.exceptions import MarketplaceError
from homeassistant.components.marketplace.repositories.base import (
    README_FILENAMES,
    RepositoryArchive,
    RepositoryManifest,
)
from homeassistant.components.marketplace.repositories.integration import (
    IntegrationRepository,
)
from homeassistant.components.marketplace.utils.logger import LOGGER
from homeassistant.components.marketplace.utils.regex import extract_repository_from_url
from homeassistant.components.marketplace.utils.tree import tree_entry_filename
from homeassistant.components.marketplace.utils.validate import (
    REPOSITORY_MANIFEST_VALUES,
    VALID_FULL_NAME,
)
from homeassistant.const import __version__ as ha_version
from homeassistant.core import HomeAssistant

MESSAGES = json.loads(
    (Path(marketplace.__file__).parent / "translations" / "en.json").read_text()
)["exceptions"]


def words(error: MarketplaceError) -> str:
    """Return the Marketplace's English message for one of its errors."""
    message = MESSAGES[error.translation_key]["message"]
    return str(message.format(**(error.translation_placeholders or {})))


class Warnings(logging.Handler):
    """The Marketplace's warnings: it logs what it ignores as not valid."""

    def __init__(self) -> None:
        """Collect from now on."""
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the line."""
        self.lines.append(record.getMessage())


def github_archive(repository: Path, top: str) -> bytes:
    """Return the zip GitHub serves for the repository: tracked files below `top`."""
    listed = subprocess.run(  # noqa: S603 - git lists the repository's files
        ["git", "-C", str(repository), "ls-files", "-z"],  # noqa: S607
        capture_output=True,
        check=True,
    ).stdout.decode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(filter(None, listed.split("\0"))):
            if (repository / name).is_file():
                archive.write(repository / name, f"{top}/{name}")
    return buffer.getvalue()


async def check(repository: Path, config_dir: Path) -> dict[str, Any]:
    """Run the Marketplace's checks on `repository`, installing into `config_dir`.

    `content` is where it installed the integration, in `config_dir`.
    """
    refusals: list[str] = []
    manifest_path = repository / "custom_components" / "spotify_player"
    url = json.loads((manifest_path / "manifest.json").read_text())["documentation"]
    full_name = extract_repository_from_url(url)
    if full_name is None or not VALID_FULL_NAME.match(full_name):
        return {"refusals": [f"{url} names no repository the Marketplace can add"]}

    hass = HomeAssistant(str(config_dir))
    manager = _Manager(hass, config_dir)
    repo = IntegrationRepository(manager, full_name)  # type: ignore[arg-type]
    archive = RepositoryArchive(
        github_archive(repository, f"{full_name.split('/')[1]}-main")
    )
    repo.tree = archive.tree
    repo.treefiles = [entry.path for entry in repo.tree]

    warnings = Warnings()
    LOGGER.addHandler(warnings)
    hacs: dict[str, Any] = {}
    if RepositoryFile.REPOSITORY_MANIFEST not in [
        tree_entry_filename(entry) for entry in repo.tree
    ]:
        refusals.append(f"{full_name} has no hacs.json")
    else:
        hacs = json.loads(archive.read(RepositoryFile.REPOSITORY_MANIFEST))
        refusals += [
            f"hacs.json: the Marketplace does not read {key!r}"
            for key in hacs
            if key not in REPOSITORY_MANIFEST_VALUES
        ]
        repo.repository_manifest = RepositoryManifest.from_dict(hacs)
        try:
            repo._check_minimum_version(repo.repository_manifest)  # noqa: SLF001
        except MarketplaceError as err:
            refusals.append(words(err))

    try:
        repo.resolve_content()
    except MarketplaceError as err:
        refusals.append(words(err))
    else:
        if not repo.try_resolve_content():
            refusals.append(f"no manifest.json at {repo.content.path.remote}")
        else:
            repo._use_integration_manifest(  # noqa: SLF001
                json.loads(archive.read(repo._integration_manifest_path()))  # noqa: SLF001
            )
            refusals += [words(error) for error in repo.validate.errors]
            repo.content.path.local = repo.localpath
            try:
                archive.extract_directory(
                    repo.content.path.remote or "", repo.content.path.local
                )
                await repo.async_check_written_content()
            except MarketplaceError as err:
                refusals.append(words(err))
    refusals += warnings.lines
    LOGGER.removeHandler(warnings)
    return {
        "full_name": full_name,
        "hacs": hacs,
        "display_name": repo.display_name,
        "domain": repo.data.domain,
        "manifest_name": repo.data.manifest_name,
        "authors": repo.data.authors,
        "config_flow": repo.data.config_flow,
        "content": repo.content.path.remote,
        "installed_to": repo.content.path.local,
        "readme": [name for name in README_FILENAMES if name in repo.treefiles],
        "refusals": refusals,
    }


class _Manager:
    """What a repository asks of the Marketplace it belongs to, and no more."""

    def __init__(self, hass: HomeAssistant, config_dir: Path) -> None:
        self.hass = hass
        self.core = MarketplaceCore(
            config_path=str(config_dir), lovelace_mode=LovelaceMode.STORAGE
        )
        self.version = AwesomeVersion(ha_version)


def main() -> None:
    """Command line: check the repository given, print the result as JSON."""
    with tempfile.TemporaryDirectory() as config_dir:
        result = asyncio.run(check(Path(sys.argv[1]).resolve(), Path(config_dir)))
        installed = Path(result.pop("installed_to", config_dir))
        result["installed"] = sorted(
            str(path.relative_to(installed))
            for path in installed.rglob("*")
            if path.is_file()
        )
    print(json.dumps(result, indent=2))  # noqa: T201


if __name__ == "__main__":
    main()

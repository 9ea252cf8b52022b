"""Deterministically generated, entirely made-up catalogue content.

Every name is assembled from small original word lists and every id is derived from a
seed, so two worlds built from the same seed hold exactly the same content.
"""

from __future__ import annotations

import datetime as dt
import random

from .catalogue import (
    Album,
    Artist,
    Audiobook,
    Catalogue,
    Chapter,
    Episode,
    Show,
    Track,
)
from .ids import base62_id

_ADJECTIVES = (
    "Amber",
    "Brass",
    "Cobalt",
    "Copper",
    "Crimson",
    "Dusty",
    "Electric",
    "Faded",
    "Gentle",
    "Golden",
    "Hollow",
    "Indigo",
    "Ivory",
    "Jade",
    "Lunar",
    "Marble",
    "Midnight",
    "Neon",
    "Olive",
    "Paper",
    "Quiet",
    "Rusty",
    "Salt",
    "Silver",
    "Solar",
    "Static",
    "Tidal",
    "Velvet",
    "Violet",
    "Wild",
    "Woollen",
    "Young",
)
_NOUNS = (
    "Anchors",
    "Antlers",
    "Balloons",
    "Beacons",
    "Bicycles",
    "Canyons",
    "Comets",
    "Compass",
    "Engines",
    "Ferns",
    "Foxes",
    "Gardens",
    "Harbours",
    "Kites",
    "Lanterns",
    "Lighthouses",
    "Meadows",
    "Mirrors",
    "Orchards",
    "Pylons",
    "Radios",
    "Rivers",
    "Satellites",
    "Sparrows",
    "Teacups",
    "Thunder",
    "Tides",
    "Tramlines",
    "Valleys",
    "Windmills",
)
_TITLE_WORDS = (
    "after",
    "again",
    "all",
    "autumn",
    "blue",
    "bright",
    "call",
    "city",
    "cold",
    "dance",
    "dawn",
    "dream",
    "echo",
    "evening",
    "fall",
    "fire",
    "floating",
    "glass",
    "gravity",
    "heart",
    "highway",
    "home",
    "horizon",
    "island",
    "late",
    "light",
    "lost",
    "morning",
    "motion",
    "night",
    "north",
    "ocean",
    "paper",
    "quiet",
    "rain",
    "road",
    "room",
    "run",
    "signal",
    "slow",
    "snow",
    "stars",
    "summer",
    "tonight",
    "train",
    "waves",
    "window",
)
_GENRES = (
    "indie pop",
    "dream pop",
    "synthwave",
    "folk",
    "post-rock",
    "lo-fi",
    "chamber pop",
    "math rock",
    "ambient",
    "soul",
    "garage rock",
    "jazz fusion",
    "electro",
    "shoegaze",
)
_PODCAST_TOPICS = (
    "Kitchen Chemistry",
    "Tiny Engineering",
    "Forgotten Maps",
    "Night Shift Stories",
    "Garden Physics",
    "Slow History",
    "Pocket Astronomy",
    "Weekend Workshop",
)
_FIRST_NAMES = (
    "Ada",
    "Bram",
    "Cleo",
    "Dario",
    "Elin",
    "Femi",
    "Greta",
    "Hugo",
    "Ines",
    "Jory",
)
_LAST_NAMES = (
    "Alder",
    "Brook",
    "Carrow",
    "Dunmore",
    "Ellery",
    "Fairweather",
    "Gale",
    "Hollis",
)
_LABELS = (
    "Paper Lantern Records",
    "Tidepool Music",
    "Quiet Engine Audio",
    "Northbound Sounds",
)


def _title(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_TITLE_WORDS) for _ in range(words)).title()


def _date(rng: random.Random, start_year: int = 1990, end_year: int = 2025) -> str:
    start = dt.date(start_year, 1, 1).toordinal()
    end = dt.date(end_year, 12, 31).toordinal()
    return dt.date.fromordinal(rng.randint(start, end)).isoformat()


def generate(seed: int = 0) -> Catalogue:
    """Generate the deterministic catalogue for `seed`."""
    rng = random.Random(seed)  # noqa: S311 - deterministic content, not security
    cat = Catalogue()
    used_names: set[str] = set()

    def artist_name() -> str:
        while True:
            name = f"The {rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)}"
            if name not in used_names:
                used_names.add(name)
                return name

    for a_idx in range(72):
        artist = Artist(
            id=base62_id(seed, "artist", a_idx),
            name=artist_name(),
            genres=tuple(rng.sample(_GENRES, rng.randint(1, 2))),
            popularity=rng.randint(5, 90),
            followers=rng.randint(100, 2_000_000),
        )
        cat.artists[artist.id] = artist

    artist_ids = list(cat.artists)
    track_counter = 0
    for a_idx, artist_id in enumerate(artist_ids):
        layouts = [("album", rng.randint(6, 10)), ("single", rng.randint(1, 2))]
        if a_idx % 3 == 0:
            layouts.append(
                ("compilation" if a_idx % 9 == 0 else "album", rng.randint(5, 8))
            )
        for al_idx, (album_type, n_tracks) in enumerate(layouts):
            album_id = base62_id(seed, "album", a_idx, al_idx)
            artists: tuple[str, ...] = (artist_id,)
            if a_idx % 7 == 3 and album_type == "single":
                artists = (artist_id, artist_ids[(a_idx + 1) % len(artist_ids)])
            year_only = rng.random() < 0.15
            release = _date(rng)
            track_ids: list[str] = []
            album_name = _title(rng, rng.randint(1, 3))
            for t_idx in range(n_tracks):
                track_counter += 1
                track = Track(
                    id=base62_id(seed, "track", a_idx, al_idx, t_idx),
                    name=album_name
                    if album_type == "single" and t_idx == 0
                    else _title(rng, rng.randint(1, 4)),
                    album_id=album_id,
                    artist_ids=artists,
                    duration_ms=rng.randint(120_000, 330_000),
                    track_number=t_idx + 1,
                    disc_number=1,
                    explicit=rng.random() < 0.1,
                    popularity=rng.randint(0, 100),
                    isrc=f"ZZEMU{seed % 100:02d}{track_counter:05d}",
                )
                cat.tracks[track.id] = track
                track_ids.append(track.id)
            album = Album(
                id=album_id,
                name=album_name,
                album_type=album_type,
                artist_ids=artists,
                release_date=release[:4] if year_only else release,
                release_date_precision="year" if year_only else "day",
                track_ids=tuple(track_ids),
                label=rng.choice(_LABELS),
                popularity=rng.randint(0, 100),
            )
            cat.albums[album.id] = album

    for s_idx, topic in enumerate(_PODCAST_TOPICS[:6]):
        show_id = base62_id(seed, "show", s_idx)
        n_episodes = 64 if s_idx == 0 else rng.randint(6, 15)
        episode_ids: list[str] = []
        for e_idx in range(n_episodes):
            episode = Episode(
                id=base62_id(seed, "episode", s_idx, e_idx),
                name=f"{topic} #{n_episodes - e_idx}: {_title(rng, 3)}",
                show_id=show_id,
                description=f"An invented {topic} episode: {_title(rng, 2).lower()}.",
                duration_ms=rng.randint(15, 90) * 60_000 + rng.randint(0, 59_999),
                release_date=(
                    dt.date(2025, 6, 1) - dt.timedelta(days=7 * e_idx)
                ).isoformat(),
                explicit=False,
                language="en",
            )
            cat.episodes[episode.id] = episode
            episode_ids.append(episode.id)
        show = Show(
            id=show_id,
            name=topic,
            publisher=f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}",
            description=f"{topic}: a podcast that only exists in the emulator.",
            explicit=s_idx == 5,
            language="en",
            episode_ids=tuple(episode_ids),
        )
        cat.shows[show.id] = show

    for b_idx in range(3):
        book_id = base62_id(seed, "audiobook", b_idx)
        n_chapters = rng.randint(8, 20)
        chapter_ids: list[str] = []
        for c_idx in range(n_chapters):
            chapter = Chapter(
                id=base62_id(seed, "chapter", b_idx, c_idx),
                name=f"Chapter {c_idx + 1}",
                audiobook_id=book_id,
                chapter_number=c_idx,
                duration_ms=rng.randint(5, 30) * 60_000,
                release_date="2024-01-01",
            )
            cat.chapters[chapter.id] = chapter
            chapter_ids.append(chapter.id)
        author = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"
        book = Audiobook(
            id=book_id,
            name=f"The {_title(rng, 2)}",
            authors=(author,),
            narrators=(f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}",),
            publisher=rng.choice(_LABELS),
            description=f"A novel by {author}, invented for the emulator.",
            edition="Unabridged",
            chapter_ids=tuple(chapter_ids),
        )
        cat.audiobooks[book.id] = book
    return cat

"""File names of downloads: the title in lower-case words, cut between words, never inside one."""

from __future__ import annotations

import re
import unicodedata

MAX_STEM = 60


def export_file_stem(title: str, max_chars: int = MAX_STEM, fallback: str = "grafik") -> str:
    """ "Stunting per kecamatan, Oktober 2025" -> "stunting-per-kecamatan-oktober-2025".

    Accents are dropped, anything else not a letter or digit separates words, and a title
    longer than max_chars keeps its first whole words (a single over-long word is cut).
    """
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    words = [w for w in re.split(r"[^a-z0-9]+", plain) if w]
    stem = ""
    for word in words:
        candidate = f"{stem}-{word}" if stem else word
        if len(candidate) > max_chars:
            break
        stem = candidate
    if not stem and words:
        stem = words[0][:max_chars]
    return stem or fallback

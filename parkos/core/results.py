"""bench/RESULTS.md is written by several scripts and commands; each rewrites only its own section."""

from __future__ import annotations

from pathlib import Path


def replace_section(path: Path, section: str, start: str, end: str) -> Path:
    """Replace the text between ``start`` and ``end`` in ``path`` with ``section`` (which carries the markers), or
    append it, leaving every other section as it is."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")
    return path

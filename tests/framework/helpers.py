"""Small builders shared by the framework tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pluggy

from newsdesk.article import Article, Source
from newsdesk.loader import new_manager
from newsdesk.pipeline import read
from newsdesk_plugins import readers


def source(name: str, data: bytes = b"", line: int | None = None) -> Source:
    """A source for a file called ``name`` that was never on disk."""
    return Source(path=f"/nowhere/{name}", name=name, size=len(data),
                  mtime="2026-01-01T00:00:00Z", received="2026-01-01T00:00:01.000Z", line=line)


def readers_manager() -> pluggy.PluginManager:
    """A plugin manager holding only the built-in readers."""
    pm = new_manager()
    pm.register(readers, name="readers")
    return pm


def read_bytes(name: str, data: bytes) -> list[Article]:
    """Read ``data`` as a file called ``name`` through the real read step."""
    return read(readers_manager(), source(name, data), data)


def write_plugin(folder: Path, name: str, body: str) -> Path:
    """Write a single-file plugin ``folder/name.py`` from dedented ``body``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.py"
    path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return path

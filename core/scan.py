"""Which names in the inbox are articles to take, and which are not yet (temporary,
hidden)."""

from __future__ import annotations

from fnmatch import fnmatchcase


def is_ignored(name: str, patterns: list[str]) -> bool:
    """True for hidden and temporary names (``daemon.ignore``), e.g. ``.x``, ``a.part``."""
    return any(fnmatchcase(name, pattern) for pattern in patterns)

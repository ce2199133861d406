"""File names as text that can always be logged, journaled and written as JSON.

POSIX allows any bytes but ``/`` and NUL in a name; Python hands undecodable bytes
over as lone surrogates (``surrogateescape``), which SQLite, orjson and terminals
refuse. :func:`safe_name` turns them into visible escapes (``bad\\xff.txt``), so a
name is shown as it is and never raises.
"""

from __future__ import annotations

import os
from pathlib import Path


def safe_name(name: str | os.PathLike[str]) -> str:
    """Return ``name`` as valid UTF-8 text: undecodable bytes become ``\\xNN``."""
    text = os.fspath(name)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogateescape") if _surrogates_only(text) else None
        if raw is None:
            return text.encode("utf-8", "backslashreplace").decode("utf-8")
        return raw.decode("utf-8", "backslashreplace")


def _surrogates_only(text: str) -> bool:
    """True when every character that UTF-8 cannot hold is an escaped byte."""
    return all("\udc80" <= ch <= "\udcff" for ch in text if "\ud800" <= ch <= "\udfff")


def safe_path(path: Path | str) -> str:
    return safe_name(os.fspath(path))

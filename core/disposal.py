"""What happens to an input file once its records are written: archived, deleted or
kept; a failed file goes to failed/ with ``<name>.error.json`` beside it."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson


def unique(dest: Path) -> Path:
    """Return ``dest``, or ``name-1.ext``, ``name-2.ext``... if it is taken."""
    if not dest.exists() and not dest.is_symlink():
        return dest
    stem, suffix = dest.stem, dest.suffix
    n = 1
    while True:
        candidate = dest.with_name(f"{stem}-{n}{suffix}")
        if not candidate.exists() and not candidate.is_symlink():
            return candidate
        n += 1


def move(path: Path, folder: Path) -> Path:
    """Move ``path`` (a file or a symlink itself, never its target) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    dest = unique(folder / path.name)
    try:
        os.rename(path, dest)
    except OSError as exc:
        if exc.errno != 18:  # EXDEV: another filesystem
            raise
        shutil.move(str(path), str(dest))
    return dest


def write_error(dest: Path, info: dict[str, Any]) -> Path:
    """Write ``<dest>.error.json`` naming the cause."""
    error_path = dest.with_name(dest.name + ".error.json")
    tmp = error_path.with_name("." + error_path.name + ".tmp")
    tmp.write_bytes(orjson.dumps(info, option=orjson.OPT_INDENT_2))
    os.replace(tmp, error_path)
    return error_path


def dispose(path: Path, *, after: str, archive: Path, failed: Path, failed_file: bool,
            error: dict[str, Any] | None) -> Path | None:
    """Apply the policy to a finished file; return where it went (None: deleted or gone)."""
    if not path.exists() and not path.is_symlink():
        return None
    if failed_file:
        dest = move(path, failed)
        write_error(dest, error or {})
        return dest
    if after == "delete":
        path.unlink()
        return None
    if after == "keep":
        return path
    dest = move(path, archive / datetime.now(UTC).strftime("%Y-%m-%d"))
    if error:
        write_error(dest, error)
    return dest

"""Reading records back from JSON-lines files (for `newsdesk reindex`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson


def records(files: Iterable[Path]) -> Iterator[dict[str, Any]]:
    """Every whole, readable JSON-object line of ``files`` (a torn last line or a
    line that is not a record is skipped)."""
    for file in files:
        with file.open("rb") as fh:
            for line in fh:
                if not line.endswith(b"\n"):
                    break
                try:
                    rec = orjson.loads(line)
                except orjson.JSONDecodeError:
                    continue
                if isinstance(rec, dict):
                    yield rec

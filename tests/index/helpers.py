"""Records as the stream holds them, written by hand for the index tests."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import orjson

TRAM_EN = (
    "The city council of Lyon approved the new tram line on Tuesday after a long debate. "
    "Mayor Claire Dubois said the line would connect the northern districts with the centre "
    "by 2030. Residents had asked for more stops, and the council agreed to add two of them. "
    "The project will cost 400 million euros, according to the regional transport authority. "
    "Work on the tracks is planned to start next spring near the river."
)
STORM_EN = (
    "A violent storm hit the coast of Portugal on Monday, cutting power to thousands of homes. "
    "Firefighters in Porto said trees fell on roads and several drivers were injured. "
    "Meteorologists expect the storm to move north towards Galicia on Wednesday, with waves "
    "of up to nine metres. Schools in the coastal towns stayed closed."
)
TRAM_DE = (
    "Der Stadtrat von Lyon hat am Dienstag nach langer Debatte die neue Straßenbahnlinie "
    "genehmigt. Bürgermeisterin Claire Dubois sagte, die Linie werde bis 2030 die nördlichen "
    "Viertel mit dem Zentrum verbinden."
)


def rid(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def record(text: str, *, title: str = "", lang: str = "en", published: str | None = None,
           site: str = "", entities: list[str] | None = None, cited: list[str] | None = None,
           translation: dict[str, Any] | None = None, rid_text: str | None = None,
           status: str = "ok", received: str = "2026-03-03T10:00:00.000Z") -> dict[str, Any]:
    """A finished record as clean, extract and translate would leave it."""
    rec: dict[str, Any] = {
        "schema": "newsdesk/1", "id": rid(rid_text if rid_text is not None else title + text),
        "source": {"path": "x.txt", "name": "x.txt", "size": len(text), "mtime": received,
                   "received": received},
        "status": status, "title": title, "text": text, "lang": lang, "published": published,
        "site": site,
        "entities": [{"name": e, "type": "PER", "aliases": [], "mentions": 1, "spans": []}
                     for e in entities or []],
        "cited": [{"name": c, "spans": []} for c in cited or []],
        "errors": [], "timings_ms": {},
    }
    if translation is not None:
        rec["translation"] = translation
    return rec


def write_stream(path: Path, records: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as fh:
        for r in records:
            fh.write(orjson.dumps(r) + b"\n")
    return path

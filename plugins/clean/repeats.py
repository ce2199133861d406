"""Cross-article memory per site: a line seen in many articles of one site is chrome.

Each process counts, per site, in how many articles each short line appeared.
With a state file the counts persist: a process loads the file when it starts
and, at shutdown and every ``save_every`` articles, adds what it counted since
to the file under an exclusive lock, so that worker processes sharing the file
add up rather than overwrite one another. At most ``max_lines`` line keys are
kept per site, the least seen dropped first.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import structlog

from newsdesk_plugins.clean.textnorm import key

log = structlog.get_logger("newsdesk.clean")


def site_of(*candidates: object) -> str | None:
    """Return a site key (host without ``www.``, or a name) from the first usable candidate."""
    for c in candidates:
        if not isinstance(c, str) or not c.strip():
            continue
        value = c.strip()
        if "://" in value or value.startswith("www."):
            host = urlsplit(value if "://" in value else "http://" + value).hostname or ""
            host = host.removeprefix("www.")
            if host:
                return host
        else:
            return value.casefold()
    return None


class SiteMemory:
    """Counts, per site, in how many distinct articles each short line appeared."""

    def __init__(self, min_articles: int, max_lines: int = 20000, path: Path | None = None,
                 save_every: int = 500, read_only: bool = False) -> None:
        self.min_articles = min_articles
        self.read_only = read_only
        self.max_lines = max_lines
        self.path = path
        self.save_every = save_every
        self._lines: dict[str, Counter[str]] = {}
        self._repeated: dict[str, set[str]] = {}
        self._articles: dict[str, set[str]] = {}
        self._delta: dict[str, Counter[str]] = {}
        self._unsaved = 0
        if path is not None and min_articles > 0:
            for site, counts in self._read(path).items():
                self._lines[site] = counts
                self._repeated[site] = {k for k, n in counts.items() if n >= min_articles}

    def repeated(self, site: str | None) -> frozenset[str] | set[str]:
        """Return the line keys seen in at least ``min_articles`` earlier articles of ``site``."""
        if not site or self.min_articles <= 0:
            return frozenset()
        return self._repeated.get(site, frozenset())

    def remember(self, site: str | None, article_id: str, lines: list[str],
                 keys: list[str] | None = None) -> None:
        """Count the short lines of one article (once per article id and process;
        ``keys``: the lines' comparison keys, when the caller has them already)."""
        if not site or self.min_articles <= 0:
            return
        seen = self._articles.setdefault(site, set())
        if article_id in seen:
            return
        seen.add(article_id)
        counter = self._lines.setdefault(site, Counter())
        repeated = self._repeated.setdefault(site, set())
        delta = self._delta.setdefault(site, Counter())
        if keys is None:
            keys = [key(t) for t in lines]
        for k in {k for t, k in zip(lines, keys, strict=True) if len(t) <= 300}:
            if k:
                counter[k] += 1
                delta[k] += 1
                if counter[k] >= self.min_articles:
                    repeated.add(k)
        if len(counter) > self.max_lines:
            for k, _ in counter.most_common()[self.max_lines // 2:]:
                del counter[k]
                repeated.discard(k)
        self._unsaved += 1
        if self.path is not None and self._unsaved >= self.save_every:
            self.save()

    def save(self) -> None:
        """Add the counts of this process since the last save to the state file."""
        if self.path is None or self.read_only or not self._delta:
            return
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            stored = self._read(self.path)
            for site, delta in self._delta.items():
                counts = stored.setdefault(site, Counter())
                counts.update(delta)
                if len(counts) > self.max_lines:
                    stored[site] = Counter(dict(counts.most_common(self.max_lines // 2)))
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"version": 1, "sites": stored}, ensure_ascii=False), "utf-8")
            os.replace(tmp, self.path)
        self._delta = {}
        self._unsaved = 0

    @staticmethod
    def _read(path: Path) -> dict[str, Counter[str]]:
        try:
            data = json.loads(path.read_text("utf-8"))
            return {site: Counter({k: int(n) for k, n in counts.items()})
                    for site, counts in data.get("sites", {}).items()}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, AttributeError, TypeError) as exc:
            log.warning("site memory unreadable; starting empty", file=str(path), error=str(exc))
            return {}

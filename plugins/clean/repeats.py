"""Cross-article memory per site: a line seen in many articles of one site is chrome.

The memory lives in the process (each worker keeps its own) and is bounded:
at most ``max_lines`` line keys per site, the least seen dropped first.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

from newsdesk_plugins.clean.textnorm import key


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

    def __init__(self, min_articles: int, max_lines: int = 20000) -> None:
        self.min_articles = min_articles
        self.max_lines = max_lines
        self._lines: dict[str, Counter[str]] = {}
        self._articles: dict[str, set[str]] = {}

    def repeated(self, site: str | None) -> frozenset[str]:
        """Return the line keys seen in at least ``min_articles`` earlier articles of ``site``."""
        if not site or self.min_articles <= 0 or site not in self._lines:
            return frozenset()
        return frozenset(k for k, n in self._lines[site].items() if n >= self.min_articles)

    def remember(self, site: str | None, article_id: str, lines: list[str]) -> None:
        """Count the short lines of one article (once per article id)."""
        if not site or self.min_articles <= 0:
            return
        seen = self._articles.setdefault(site, set())
        if article_id in seen:
            return
        seen.add(article_id)
        counter = self._lines.setdefault(site, Counter())
        for k in {key(t) for t in lines if len(t) <= 300}:
            if k:
                counter[k] += 1
        if len(counter) > self.max_lines:
            for k, _ in counter.most_common()[self.max_lines // 2:]:
                del counter[k]

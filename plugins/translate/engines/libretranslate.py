"""LibreTranslate: the HTTP API of a self-hosted server (URL and key in config), with
timeouts, retries and batching (``q`` as a list)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

from newsdesk_plugins.translate.engines import EngineError

#: How long a server that could not be reached for its language list is left alone.
PAIRS_RETRY_S = 60.0


class LibreTranslate:
    name = "libretranslate"

    def __init__(self, url: str, key: str, timeout_s: float, retries: int, batch: int,
                 backoff_s: float = 0.5) -> None:
        self.url = url.rstrip("/")
        self.key = key
        self.timeout_s = timeout_s
        self.retries = retries
        self.batch = max(1, batch)
        self.backoff_s = backoff_s
        self._pairs: set[tuple[str, str]] | None = None
        self._pairs_error: str | None = None
        self._pairs_asked = 0.0

    def _call(self, path: str, body: dict[str, Any] | None, retries: int | None = None,
              timeout_s: float | None = None) -> Any:
        retries = self.retries if retries is None else retries
        timeout_s = self.timeout_s if timeout_s is None else timeout_s
        data = None
        headers = {"Accept": "application/json"}
        if body is not None:
            if self.key:
                body = {**body, "api_key": self.key}
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        last = ""
        for attempt in range(retries + 1):
            if attempt:
                time.sleep(self.backoff_s * 2 ** (attempt - 1))
            req = urllib.request.Request(self.url + path, data=data, headers=headers,
                                         method="POST" if body is not None else "GET")
            try:
                with urllib.request.urlopen(req, timeout=timeout_s) as resp:  # noqa: S310
                    return json.loads(resp.read())
            except urllib.error.HTTPError as exc:
                detail = _error_text(exc)
                last = f"HTTP {exc.code}{': ' + detail if detail else ''}"
                if exc.code < 500 and exc.code != 429:
                    break  # the server refused the request itself: retrying will not help
            except (OSError, ValueError) as exc:
                reason = getattr(exc, "reason", None) or exc
                last = f"{type(exc).__name__}: {reason}"
        raise EngineError(f"libretranslate at {self.url}{path} failed after "
                          f"{retries + 1} attempt(s): {last}")

    def pairs(self) -> set[tuple[str, str]]:
        """The server's language pairs, asked once; empty while it cannot be reached, and
        asked again (one quick attempt) every ``PAIRS_RETRY_S`` seconds until it answers."""
        now = time.monotonic()
        if self._pairs is None or (self._pairs_error and now - self._pairs_asked >= PAIRS_RETRY_S):
            self._pairs_asked = now
            pairs: set[tuple[str, str]] = set()
            if self.url:
                try:
                    langs = self._call("/languages", None, retries=0, timeout_s=min(self.timeout_s, 5.0))
                    for lang in langs if isinstance(langs, list) else []:
                        for target in lang.get("targets", []):
                            pairs.add((str(lang.get("code")), str(target)))
                    self._pairs_error = None
                except EngineError as exc:
                    self._pairs_error = str(exc)
            self._pairs = pairs
        return self._pairs

    def supports(self, src: str, tgt: str) -> bool:
        return (src, tgt) in self.pairs()

    def version(self, src: str, tgt: str) -> str:
        return self.url

    def translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
        out: list[str] = []
        for i in range(0, len(texts), self.batch):
            part = texts[i : i + self.batch]
            answer = self._call("/translate", {"q": part, "source": src, "target": tgt, "format": "text"})
            got = answer.get("translatedText") if isinstance(answer, dict) else None
            if isinstance(got, str) and len(part) == 1:
                got = [got]
            if not isinstance(got, list) or len(got) != len(part) or not all(isinstance(g, str) for g in got):
                raise EngineError(f"libretranslate at {self.url} answered without one translation per passage")
            out.extend(got)
        return out


def _error_text(exc: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(exc.read() or b"{}")
    except (OSError, ValueError):
        return ""
    return str(body.get("error", "")) if isinstance(body, dict) else ""

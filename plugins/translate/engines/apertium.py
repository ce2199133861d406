"""Apertium, the rule-based engine from Debian packages (apertium-eng-spa and the like),
run as a subprocess with a timeout; the segments of a batch go in one call."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

from newsdesk_plugins.translate.engines import EngineError

#: A line Apertium passes through untouched, set between the texts of a batch.
MARKER = "@@NDSEG@@"
_SPLIT = re.compile(r"\s*" + re.escape(MARKER) + r"\s*")


def iso3(code: str) -> str | None:
    """Apertium names its pairs by ISO 639-3 codes (spa-eng)."""
    import pycountry

    lang = pycountry.languages.get(alpha_2=code)
    return str(lang.alpha_3) if lang is not None else None


class Apertium:
    name = "apertium"

    def __init__(self, timeout_s: float, binary: str = "apertium") -> None:
        self.timeout_s = timeout_s
        self.binary = shutil.which(binary)
        self._modes: dict[str, Path | None] | None = None

    def modes(self) -> dict[str, Path | None]:
        """The installed translation directions ("spa-eng": its mode file)."""
        if self._modes is None:
            self._modes = {}
            if self.binary is not None:
                try:
                    out = subprocess.run([self.binary, "-l"], capture_output=True, text=True,
                                         timeout=self.timeout_s, check=False).stdout
                except (OSError, subprocess.SubprocessError):
                    out = ""
                for line in out.split():
                    mode = line.strip()
                    if mode:
                        self._modes[mode] = _mode_file(mode)
        return self._modes

    def _mode(self, src: str, tgt: str) -> str | None:
        a, b = iso3(src), iso3(tgt)
        if a is None or b is None:
            return None
        mode = f"{a}-{b}"
        return mode if mode in self.modes() else None

    def supports(self, src: str, tgt: str) -> bool:
        return self._mode(src, tgt) is not None

    def version(self, src: str, tgt: str) -> str:
        mode = self._mode(src, tgt) or ""
        path = self.modes().get(mode)
        try:
            stamp = f"{path.stat().st_mtime_ns}:{path.read_bytes().hex()}" if path else ""
        except OSError:
            stamp = ""
        return hashlib.sha256(stamp.encode()).hexdigest()[:16]

    def translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
        mode = self._mode(src, tgt)
        if mode is None or self.binary is None:
            raise EngineError(f"apertium has no {src}-{tgt} pair installed")
        # Lines inside a text are kept; blank lines around the marker keep sentences apart.
        payload = f"\n\n{MARKER}\n\n".join(t.replace(MARKER, "") for t in texts)
        try:
            done = subprocess.run([self.binary, "-u", mode], input=payload, capture_output=True,
                                  text=True, timeout=self.timeout_s, check=False)
        except subprocess.TimeoutExpired:
            raise EngineError(f"apertium {mode} did not answer within {self.timeout_s:g} s") from None
        except OSError as exc:
            raise EngineError(f"apertium could not start: {exc.strerror or exc}") from None
        if done.returncode != 0:
            detail = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise EngineError(f"apertium {mode} exited with status {done.returncode}: {detail}")
        parts = _SPLIT.split(done.stdout.strip())
        if len(parts) != len(texts):
            raise EngineError(f"apertium {mode} returned {len(parts)} passages for {len(texts)}")
        return parts


def _mode_file(mode: str) -> Path | None:
    for folder in (Path("/usr/share/apertium/modes"), Path("/usr/local/share/apertium/modes")):
        candidate = folder / f"{mode}.mode"
        if candidate.exists():
            return candidate
    return None

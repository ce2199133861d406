"""Apertium, the real engine (CI installs apertium-eng-spa), and how its failures are handled."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from newsdesk_plugins.translate.engines import EngineError
from newsdesk_plugins.translate.engines.apertium import Apertium
from newsdesk_plugins.translate.stage import Translator

from .conftest import needs_apertium, translate

ES_1 = "El alcalde inauguró el nuevo puente el 3 de mayo de 2024."
ES_2 = "La obra costó 12 millones de euros y duró dos años."


@needs_apertium
def test_spanish_passages_are_translated_by_apertium(translator: Callable[..., Translator]) -> None:
    """Spanish passages come back in English from Apertium, numbers intact."""
    art = translate(translator(Apertium(30)), f"{ES_1}\n\nThe bridge links the two halves of the town.\n\n{ES_2}")
    segs = art.record["segments"]
    assert [s["engine"] for s in segs] == ["apertium", None, "apertium"]
    assert "bridge" in segs[0]["translation"] and "2024" in segs[0]["translation"]
    assert "million" in segs[2]["translation"]
    assert not any(s["numbers_mismatch"] for s in segs)
    assert art.record["translation"]["engines"] == ["apertium"] and art.status == "ok"


@needs_apertium
def test_one_apertium_call_per_article_and_none_when_cached(
        translator: Callable[..., Translator], monkeypatch: pytest.MonkeyPatch) -> None:
    """The passages of an article go to Apertium in one process; reprocessing starts none."""
    calls: list[list[str]] = []
    real = subprocess.run

    def counting(cmd: list[str], *args: Any, **kwargs: Any) -> Any:
        calls.append(cmd)
        return real(cmd, *args, **kwargs)

    engine = Apertium(30)
    engine.modes()
    monkeypatch.setattr(subprocess, "run", counting)
    body = f"{ES_1}\n\n{ES_2}\n\nLos vecinos celebraron la apertura con una fiesta.\nHubo música hasta tarde."
    first = translate(translator(engine), body)
    assert len(calls) == 1
    assert [body[s:e].count("\n") for s, e in (seg["span"] for seg in first.record["segments"])] == [0, 0, 1]
    assert first.record["segments"][2]["translation"].count("\n") == 1
    second = translate(translator(engine), body)
    assert len(calls) == 1
    assert second.record["translation"] == first.record["translation"]


@needs_apertium
def test_apertium_lists_its_pairs_as_iso_codes() -> None:
    """The Debian pair gives es->en and en->es, and nothing for ru->en."""
    engine = Apertium(30)
    assert engine.supports("es", "en") and engine.supports("en", "es")
    assert not engine.supports("ru", "en")
    assert engine.version("es", "en") == engine.version("es", "en") != ""


def _fake(tmp_path: Path, body: str) -> str:
    """An `apertium` program that lists spa-eng and then does ``body``."""
    script = tmp_path / "apertium"
    script.write_text(f'#!/bin/sh\nif [ "$1" = "-l" ]; then echo spa-eng; exit 0; fi\n{body}\n')
    script.chmod(0o755)
    return str(script)


def test_a_hanging_apertium_is_stopped_at_its_timeout(tmp_path: Path, translator: Callable[..., Translator]) -> None:
    """Apertium that does not answer in time leaves the passage untranslated, the reason
    in errors, and the article goes on."""
    engine = Apertium(0.5, binary=_fake(tmp_path, "sleep 5"))
    art = translate(translator(engine), ES_1)
    (seg,) = art.record["segments"]
    assert seg["translation"] is None and "did not answer within 0.5 s" in seg["note"]
    assert art.status == "partial" and "did not answer" in art.errors[0]["message"]


def test_a_crashing_apertium_is_reported_with_its_message(tmp_path: Path) -> None:
    """A non-zero exit is an EngineError carrying the program's last line of stderr."""
    engine = Apertium(5, binary=_fake(tmp_path, "echo 'Error: bad data' >&2; exit 3"))
    with pytest.raises(EngineError, match="status 3: Error: bad data"):
        engine.translate([ES_1], "es", "en")


def test_apertium_losing_the_batch_markers_is_an_error(tmp_path: Path) -> None:
    """An answer that cannot be split back into one passage per input is refused."""
    engine = Apertium(5, binary=_fake(tmp_path, "echo 'one blob'"))
    with pytest.raises(EngineError, match="returned 1 passages for 2"):
        engine.translate([ES_1, ES_2], "es", "en")


def test_without_apertium_no_pair_is_offered(tmp_path: Path) -> None:
    """No apertium program: the engine supports nothing (and auto picks another)."""
    engine = Apertium(5, binary=str(tmp_path / "missing"))
    assert engine.modes() == {} and not engine.supports("es", "en")

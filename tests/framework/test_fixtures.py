"""The shared fixtures of tests/conftest.py behave as the daemon tests rely on."""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from newsdesk.config import DEFAULT_IGNORE
from newsdesk.scan import is_ignored

from ..fixture_inputs import SampleInput

WriteAtomic = Callable[..., Path]
WriteSlowly = Callable[..., Path]
ArticleText = Callable[..., str]

LANGS = ["en", "de", "fr", "es", "ru"]


def test_workdir_holds_an_empty_inbox(workdir: Path) -> None:
    """The workdir fixture is a fresh folder with an empty inbox/ and nothing else."""
    assert [p.name for p in workdir.iterdir()] == ["inbox"]
    assert list((workdir / "inbox").iterdir()) == []


def test_write_atomic_renames_a_hidden_ignored_temporary_file(
    workdir: Path, write_atomic: WriteAtomic, monkeypatch: pytest.MonkeyPatch
) -> None:
    """write_atomic writes under a hidden name the watcher ignores, then renames it into
    place in the same folder; nothing else is left behind."""
    renames: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: Any, dst: Any) -> None:
        renames.append((str(src), str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    inbox = workdir / "inbox"
    path = write_atomic(inbox, "story.txt", "Bridge approved.")
    assert path == inbox / "story.txt" and path.read_text() == "Bridge approved."
    ((src, dst),) = renames
    assert Path(src).parent == inbox and dst == str(path)
    assert is_ignored(Path(src).name, DEFAULT_IGNORE)
    assert [p.name for p in inbox.iterdir()] == ["story.txt"]


def test_write_slowly_shows_a_growing_file_under_its_final_name(
    tmp_path: Path, write_slowly: WriteSlowly
) -> None:
    """While write_slowly runs, the final name already exists holding only a prefix."""
    path = tmp_path / "slow.txt"
    data = b"0123456789" * 30
    writer = threading.Thread(target=write_slowly, args=(path, data),
                              kwargs={"chunks": 3, "delay_s": 0.3})
    writer.start()
    deadline = time.monotonic() + 5
    # The name appears (empty) as the file is opened, and its first chunk follows.
    while not (path.exists() and path.stat().st_size) and time.monotonic() < deadline:
        time.sleep(0.005)
    seen = path.stat().st_size
    writer.join()
    assert 0 < seen < len(data)
    assert path.read_bytes() == data


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", [300, 5000])
def test_article_text_fills_the_size_with_whole_sentences(
    article_text: ArticleText, lang: str, size: int
) -> None:
    """article_text stays within the size in UTF-8 bytes, falls short by less than a
    sentence, and is a headline followed by paragraphs of full sentences."""
    text = article_text(size, lang)
    used = len(text.encode("utf-8"))
    assert size - 300 < used <= size
    headline, *paragraphs = text.split("\n\n")
    assert headline and "\n" not in headline and paragraphs
    assert all(re.search(r"[.\"“»]$", p) for p in paragraphs)


def test_article_text_is_deterministic_and_varies_with_the_seed(
    article_text: ArticleText,
) -> None:
    """The same arguments give the same text; another seed gives another text."""
    assert article_text(2000, "de", 3) == article_text(2000, "de", 3)
    assert article_text(2000, "de", 3) != article_text(2000, "de", 4)


def test_article_text_is_in_the_language_asked(article_text: ArticleText) -> None:
    """Each language's text uses its own script and common words."""
    texts = {lang: article_text(3000, lang) for lang in LANGS}
    assert re.search(r"[а-яё]{4}", texts["ru"]) and not re.search(r"[а-я]", texts["en"])
    assert " the " in texts["en"]
    assert re.search(r" (die|der|das) ", texts["de"])
    assert re.search(r" (les|le|la) ", texts["fr"])
    assert re.search(r" (el|los|las) ", texts["es"])


def test_article_text_refuses_an_unknown_language(article_text: ArticleText) -> None:
    """Asking for a language it does not write is a ValueError listing the known ones."""
    with pytest.raises(ValueError, match="unknown language 'xx'; one of en, de, fr, es, ru"):
        article_text(100, "xx")


def test_sample_inputs_have_distinct_names_and_contents(sample_inputs: list[SampleInput]) -> None:
    """Sample files never collide by name or by content (so their ids differ), and each
    says what it stands for."""
    assert len({s.name for s in sample_inputs}) == len(sample_inputs)
    assert len({s.data for s in sample_inputs}) == len(sample_inputs)
    assert all(s.why and s.statuses for s in sample_inputs)

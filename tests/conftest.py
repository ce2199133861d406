"""Fixtures shared by every test folder.

- ``workdir``: a temporary working folder with an empty ``inbox/``.
- ``write_atomic``: write an article the way a well-behaved producer does
  (a hidden temporary name in the same folder, then a rename).
- ``write_slowly``: write an article straight under its final name, in chunks,
  with pauses, the way a slow copy or a network download does.
- ``article_text``: realistic-looking news text of a given size in English,
  German, French, Spanish or Russian, made up from our own sentence parts.
- ``newsdesk_exe`` and ``cli_env``: the installed ``newsdesk`` console script
  and an environment to run it in as a real subprocess.
- ``sample_inputs``: good and bad inbox files (empty, binary, legacy
  encodings, broken JSON, odd names...) with the statuses each must give.

Logging is reset around every test so that a test which ran the CLI (and so
pointed structlog at its captured stderr) cannot break a later one.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import structlog

from .fixture_inputs import SampleInput
from .fixture_inputs import sample_inputs as make_sample_inputs
from .fixture_text import LANGUAGES, make_article_text

WriteAtomic = Callable[..., Path]
WriteSlowly = Callable[..., Path]
ArticleText = Callable[..., str]


def _stderr_logger(*_args: Any) -> structlog.PrintLogger:
    return structlog.PrintLogger(sys.stderr)


@pytest.fixture(autouse=True)
def _quiet_structlog() -> Iterator[None]:
    """Send log lines to whatever sys.stderr is at the moment (pytest swaps it per test)."""
    structlog.configure(
        processors=[structlog.processors.add_log_level, structlog.processors.JSONRenderer()],
        logger_factory=_stderr_logger,
        cache_logger_on_first_use=False,
    )
    yield
    structlog.reset_defaults()


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A fresh working folder holding an empty ``inbox/``; every other folder is made
    by whoever needs it."""
    root = tmp_path / "work"
    (root / "inbox").mkdir(parents=True)
    return root


def _as_bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def write_atomic_file(folder: Path, name: str, data: bytes | str) -> Path:
    """Write ``data`` to ``folder/name`` through a hidden temporary file and a rename.

    The temporary name starts with a dot and ends in ``.tmp`` (both ignored by
    the watcher); the rename happens only after the bytes are flushed and
    synced, so the file appears complete in a single step.
    """
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / name
    temp = folder / f".{name}.{os.getpid()}.{random.randrange(1 << 30):x}.tmp"
    with open(temp, "wb") as fh:
        fh.write(_as_bytes(data))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(temp, final)
    return final


def write_slowly_file(
    path: Path, data: bytes | str, chunks: int = 5, delay_s: float = 0.05
) -> Path:
    """Write ``data`` directly to ``path`` in ``chunks`` pieces with ``delay_s`` between.

    The file exists under its final name, incomplete, for about
    ``(chunks - 1) * delay_s`` seconds: a watcher that takes it too early sees a
    prefix. Each chunk is flushed so another process sees it grow. Blocks; run
    it in a thread to overlap it with something else.
    """
    raw = _as_bytes(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    step = max(1, -(-len(raw) // max(1, chunks)))
    with open(path, "wb") as fh:
        for start in range(0, max(1, len(raw)), step):
            if start:
                time.sleep(delay_s)
            fh.write(raw[start:start + step])
            fh.flush()
    return path


@pytest.fixture
def write_atomic() -> WriteAtomic:
    """``write_atomic(folder, name, data) -> Path``: see :func:`write_atomic_file`."""
    return write_atomic_file


@pytest.fixture
def write_slowly() -> WriteSlowly:
    """``write_slowly(path, data, chunks=5, delay_s=0.05) -> Path``: see
    :func:`write_slowly_file`."""
    return write_slowly_file


@pytest.fixture
def article_text() -> ArticleText:
    """``article_text(size, lang="en", seed=0) -> str``: a headline and paragraphs of
    news prose whose UTF-8 encoding is at most ``size`` bytes and short of it by
    less than one sentence. ``lang`` is one of :data:`LANGUAGES`; the same
    arguments always give the same text."""
    return make_article_text


@pytest.fixture
def newsdesk_exe() -> Path:
    """The ``newsdesk`` console script of the environment running the tests."""
    exe = Path(sys.executable).with_name("newsdesk")
    if not exe.exists():
        pytest.fail(f"{exe} is missing: install the project (pip install -e '.[test]')")
    return exe


@pytest.fixture
def cli_env() -> dict[str, str]:
    """The current environment without $NEWSDESK_CONFIG (so no stray configuration file is
    read), with unbuffered output and no bytecode writes."""
    env = {k: v for k, v in os.environ.items() if k != "NEWSDESK_CONFIG"}
    env.update(PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1")
    return env


@pytest.fixture
def sample_inputs() -> list[SampleInput]:
    """Good and bad inbox files, each with the statuses of the records it must give
    (see tests/fixture_inputs.py); ``sample.write(folder)`` puts one in place."""
    return make_sample_inputs()


__all__ = ["LANGUAGES", "SampleInput", "write_atomic_file", "write_slowly_file"]

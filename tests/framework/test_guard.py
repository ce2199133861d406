"""The crash marker of the daemon's main-process hooks (newsdesk.guard)."""

from __future__ import annotations

from pathlib import Path

from newsdesk.guard import CRASH_LIMIT, MARKER, MARKER_BYTES, HookGuard


def test_the_marker_names_the_article_in_hand_and_is_blank_after_it(tmp_path: Path) -> None:
    guard = HookGuard(tmp_path, 10.0)
    seen: list[str] = []
    guard.run(lambda: seen.append((tmp_path / MARKER).read_text()),
              digest="d1" * 32, stage="index", name="a.txt")
    assert seen[0].strip() == f"{'d1' * 32}\tindex\ta.txt"
    after = (tmp_path / MARKER).read_bytes()
    assert len(after) == MARKER_BYTES and not after.strip()  # written in place, blank
    guard.run(lambda: seen.append((tmp_path / MARKER).read_text()),
              digest="d2" * 32, stage="index", name="b.txt")
    assert seen[1].strip() == f"{'d2' * 32}\tindex\tb.txt"  # nothing left of the first


def test_a_daemon_that_dies_in_the_hook_has_the_file_counted_at_the_next_start(
        tmp_path: Path) -> None:
    for _ in range(CRASH_LIMIT):
        dying = HookGuard(tmp_path, 10.0)
        dying.recover()
        dying._mark("ab" * 32, "index", "exit.txt")  # the process dies in the hook here
    guard = HookGuard(tmp_path, 10.0)
    guard.recover()
    reason = guard.set_aside("ab" * 32)
    assert reason is not None and f"died {CRASH_LIMIT} times" in reason
    assert not (tmp_path / MARKER).exists()  # counted once, then cleared


def test_a_clean_stop_removes_the_marker_and_a_blank_one_counts_nothing(tmp_path: Path) -> None:
    guard = HookGuard(tmp_path, 10.0)
    guard.run(lambda: None, digest="cd" * 32, stage="index", name="c.txt")
    again = HookGuard(tmp_path, 10.0)
    again.recover()  # the blank marker of a daemon killed between two articles
    assert again.crashes == {}
    guard.close()
    assert not (tmp_path / MARKER).exists()


def test_a_marker_removed_while_the_daemon_runs_is_made_again(tmp_path: Path) -> None:
    guard = HookGuard(tmp_path, 10.0)
    guard.run(lambda: None, digest="ef" * 32, stage="index", name="d.txt")
    (tmp_path / MARKER).unlink()
    seen: list[str] = []
    guard.run(lambda: seen.append((tmp_path / MARKER).read_text()),
              digest="01" * 32, stage="index", name="e.txt")
    assert seen[0].strip() == f"{'01' * 32}\tindex\te.txt"
    guard.close()

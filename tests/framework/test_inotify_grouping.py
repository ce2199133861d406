"""The inotify move grouper indexed by cookie, and the observer that uses it."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsdesk import inotify_grouping
from newsdesk.inotify_grouping import IndexedGrouper, observer
from newsdesk.watcher import Watcher


@dataclass
class Ev:
    is_moved_from: bool = False
    is_moved_to: bool = False
    cookie: int = 0


@dataclass
class Pathed:
    ev: Ev
    path: bytes


def plain(name: str) -> Pathed:
    return Pathed(Ev(), name.encode())


def moved_from(name: str, cookie: int) -> Pathed:
    return Pathed(Ev(is_moved_from=True, cookie=cookie), name.encode())


def moved_to(name: str, cookie: int) -> Pathed:
    return Pathed(Ev(is_moved_to=True, cookie=cookie), name.encode())


def test_a_move_is_paired_by_cookie_and_queued_after_the_events_before_it() -> None:
    """An IN_MOVED_TO takes its IN_MOVED_FROM out of the queue: the pair comes after
    the events queued before the IN_MOVED_TO, in order, and the lone FROM never comes."""
    g = IndexedGrouper()
    src, dst = moved_from(".a.tmp", 7), moved_to("a.txt", 7)
    g.put_event(plain("x"))
    g.put_event(src)
    g.put_event(plain("y"))
    g.put_event(dst)
    assert g.get_queued_moved_from_event(7) is None
    assert [g.read_event() for _ in range(3)] == [plain("x"), plain("y"), (src, dst)]


def test_many_pending_moves_pair_each_with_its_own_cookie() -> None:
    """Thousands of moves queued at once pair by cookie, whatever their order."""
    g = IndexedGrouper()
    sources = [moved_from(f".{n}.tmp", n) for n in range(5000)]
    for event in sources:
        g.put_event(event)
    for n in reversed(range(5000)):
        assert g.get_queued_moved_from_event(n) is sources[n]
        g.put_event(moved_to(f"{n}.txt", n))
    pairs = [g.read_event() for _ in range(5000)]
    assert all(isinstance(p, tuple) and p[0].ev.cookie == p[1].ev.cookie for p in pairs)


def test_an_unpaired_move_from_is_released_after_the_delay_and_holds_nothing_behind_it() -> None:
    """A file moved out of the folder (no IN_MOVED_TO) comes out alone after the delay;
    the events after it are not held for it (watchdog holds them half a second)."""
    g = IndexedGrouper()
    src = moved_from("gone.txt", 3)
    g.put_event(src)
    g.put_event(plain("after"))
    t0 = time.monotonic()
    assert g.read_event() == plain("after")
    assert time.monotonic() - t0 < inotify_grouping.DELAY_S / 2
    assert g.read_event() is src
    assert time.monotonic() - t0 >= inotify_grouping.DELAY_S * 0.9
    assert g.get_queued_moved_from_event(3) is None


def test_a_held_move_from_is_released_as_soon_as_its_move_to_pairs_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The kernel can hand over a rename's IN_MOVED_FROM a moment before its IN_MOVED_TO.
    A reader waiting on the FROM gets the pair as soon as the TO comes, not after the
    whole delay (30 s here); events in between are not held."""
    monkeypatch.setattr(inotify_grouping, "DELAY_S", 30.0)
    g = IndexedGrouper()
    src, dst = moved_from(".b.tmp", 5), moved_to("b.txt", 5)
    g.put_event(src)
    g.put_event(plain("between"))
    assert g.read_event() == plain("between")
    got: list[object] = []
    reader = threading.Thread(target=lambda: got.append(g.read_event()), daemon=True)
    reader.start()
    time.sleep(0.2)
    assert got == []  # the FROM waits for its pair
    g.put_event(dst)
    reader.join(5)
    assert got == [(src, dst)]
    g.close()


def test_a_move_to_with_no_source_comes_alone() -> None:
    """A file moved in from outside the watched folder is an IN_MOVED_TO on its own."""
    g = IndexedGrouper()
    dst = moved_to("in.txt", 9)
    g.put_event(dst)
    assert g.read_event() is dst


def test_close_wakes_a_waiting_reader_and_discard_empties_the_queue() -> None:
    """A reader blocked on an empty queue returns None when it is closed; discarded
    events are not read."""
    g = IndexedGrouper()
    g.put_event(moved_from("a", 1))
    g.discard_pending_events()
    assert g.get_queued_moved_from_event(1) is None
    got: list[object] = []
    reader = threading.Thread(target=lambda: got.append(g.read_event()))
    reader.start()
    time.sleep(0.05)
    g.close()
    reader.join(2)
    assert got == [None]


@pytest.mark.skipif(not inotify_grouping.AVAILABLE, reason="needs watchdog's inotify backend")
def test_the_native_observer_is_the_indexed_one_and_sees_renames(tmp_path: Path) -> None:
    """On Linux the watcher uses the indexed observer, and a file renamed into the inbox
    from a hidden name is reported once, by its final name."""
    assert type(observer()).__name__ == "IndexedInotifyObserver"
    seen: list[Path] = []
    watcher = Watcher(tmp_path, seen.append, ignore=[".*"], polling=False,
                      poll_interval_s=1.0, stable_s=1.0)
    watcher.start()
    try:
        for n in range(50):
            (tmp_path / f".{n}.tmp").write_text("story")
            os.rename(tmp_path / f".{n}.tmp", tmp_path / f"{n}.txt")
        deadline = time.monotonic() + 5
        while len(seen) < 50 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        watcher.stop()
    assert sorted(seen) == sorted(tmp_path / f"{n}.txt" for n in range(50))


@pytest.mark.skipif(not inotify_grouping.AVAILABLE, reason="needs watchdog's inotify backend")
def test_a_file_moved_out_of_the_inbox_does_not_hold_the_next_one_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rename out of the watched folder is an IN_MOVED_FROM that never pairs; a file
    written just after it is reported without waiting for that FROM's delay (30 s here)."""
    monkeypatch.setattr(inotify_grouping, "DELAY_S", 30.0)
    inbox, elsewhere = tmp_path / "inbox", tmp_path / "elsewhere"
    inbox.mkdir()
    elsewhere.mkdir()
    (inbox / "old.txt").write_text("story")
    seen: list[Path] = []
    watcher = Watcher(inbox, seen.append, ignore=[".*"], polling=False,
                      poll_interval_s=1.0, stable_s=1.0)
    watcher.start()
    try:
        os.rename(inbox / "old.txt", elsewhere / "old.txt")
        (inbox / "new.txt").write_text("story")
        deadline = time.monotonic() + 5
        while not seen and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        watcher.stop()
    assert seen == [inbox / "new.txt"]


@pytest.mark.skipif(not inotify_grouping.AVAILABLE, reason="needs watchdog's inotify backend")
def test_the_indexed_observer_refuses_a_recursive_watch(tmp_path: Path) -> None:
    """watchdog's recursive watches ask the grouper about pending moves by path, which
    the indexed grouper does not answer: refused at schedule, not failing later."""
    from watchdog.events import FileSystemEventHandler

    watching = observer()
    try:
        with pytest.raises(ValueError, match="not recursively"):
            watching.schedule(FileSystemEventHandler(), str(tmp_path), recursive=True)
    finally:
        watching.stop()

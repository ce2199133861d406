"""core/disposal.py: a file is moved out of the inbox only if it is still the file read,
even when another file is renamed over its name at the last moment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsdesk import disposal
from newsdesk.disposal import Changed, dispose


def taken(path: Path) -> tuple[int, int, int, int]:
    st = os.lstat(path)
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path, Path]:
    inbox, archive, failed = tmp_path / "inbox", tmp_path / "archive", tmp_path / "failed"
    inbox.mkdir()
    return inbox, archive, failed


def swap_after_the_check(monkeypatch: pytest.MonkeyPatch, path: Path, data: bytes,
                         checks: int) -> None:
    """Rename a new file over ``path`` right after the ``checks``-th "is it still the
    file read?" check has said yes (the window between the check and the unlink)."""
    real = disposal.same_file
    seen = [0]

    def check_then_swap(p: Path, t: object) -> bool:
        answer = real(p, t)  # type: ignore[arg-type]
        seen[0] += 1
        if seen[0] == checks:
            new = path.with_name(".writer.tmp")
            new.write_bytes(data)
            os.rename(new, path)
        return answer

    monkeypatch.setattr(disposal, "same_file", check_then_swap)


@pytest.mark.parametrize("after", ["archive", "delete"])
def test_a_file_renamed_over_the_name_after_the_check_is_never_removed(
        folders: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch, after: str) -> None:
    inbox, archive, failed = folders
    path = inbox / "a.txt"
    path.write_bytes(b"the version read")
    read = taken(path)
    # archive: dispose checks the name, then the link; delete: the name only
    swap_after_the_check(monkeypatch, path, b"a newer version", 2 if after == "archive" else 1)
    with pytest.raises(Changed):
        dispose(path, after=after, archive=archive, failed=failed, failed_file=False,
                error=None, taken=read)
    assert path.read_bytes() == b"a newer version"
    assert not [p for p in inbox.iterdir() if p.name.startswith(".newsdesk-aside")]
    if after == "archive":
        assert [p.read_bytes() for p in archive.rglob("a.txt")] == [b"the version read"]


def test_the_file_read_is_archived_and_leaves_no_aside_name(
        folders: tuple[Path, Path, Path]) -> None:
    inbox, archive, failed = folders
    path = inbox / "a.txt"
    path.write_bytes(b"the version read")
    dest = dispose(path, after="archive", archive=archive, failed=failed, failed_file=False,
                   error=None, taken=taken(path))
    assert dest is not None and dest.read_bytes() == b"the version read"
    assert list(inbox.iterdir()) == []


def test_a_file_left_aside_by_a_killed_daemon_is_put_back_under_its_name_or_beside_it(
        folders: tuple[Path, Path, Path]) -> None:
    inbox, _, _ = folders
    (inbox / (disposal.ASIDE + "a.txt")).write_bytes(b"left aside")
    (inbox / (disposal.ASIDE + "b.txt")).write_bytes(b"left aside too")
    (inbox / "b.txt").write_bytes(b"a newer b")
    assert disposal.restore_aside(inbox) == 2
    assert sorted(p.name for p in inbox.iterdir()) == ["a.txt", "b-1.txt", "b.txt"]
    assert (inbox / "a.txt").read_bytes() == b"left aside"
    assert (inbox / "b.txt").read_bytes() == b"a newer b"
    assert (inbox / "b-1.txt").read_bytes() == b"left aside too"

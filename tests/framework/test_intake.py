"""core/intake.py (taking a file) and core/scan.py (which names are taken)."""

from __future__ import annotations

import builtins
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from newsdesk import intake
from newsdesk.app import Settings, build_app
from newsdesk.config import DEFAULT_IGNORE
from newsdesk.identity import unread_id
from newsdesk.intake import Refused, Vanished, take
from newsdesk.scan import is_ignored
from newsdesk.workers import handle

LIMIT = 1024


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


@pytest.fixture
def no_open(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record (and forbid) every file intake opens."""
    opened: list[str] = []

    def refuse(path: Any, *args: Any, **kwargs: Any) -> IO[Any]:
        opened.append(str(path))
        raise AssertionError(f"intake opened {path}")

    monkeypatch.setattr(intake, "open", refuse, raising=False)
    return opened


def test_a_regular_file_is_taken_with_its_source(inbox: Path) -> None:
    """A readable file gives its bytes, its name, absolute path, size and mtime."""
    path = inbox / "story.txt"
    path.write_bytes(b"Bridge approved.")
    taken = take(path, inbox, LIMIT)
    assert taken.data == b"Bridge approved."
    src = taken.source
    assert (src.name, src.path, src.size) == ("story.txt", str(path.absolute()), 16)
    assert src.mtime.endswith("Z") and src.received.endswith("Z")


def test_a_file_over_the_size_limit_is_refused_unread(inbox: Path, no_open: list[str]) -> None:
    """A file larger than the limit is refused from its size alone, never opened."""
    path = inbox / "huge.txt"
    path.write_bytes(b"x" * (LIMIT + 1))
    with pytest.raises(Refused, match=r"file is 1,025 bytes, over the limit of 1,024"):
        take(path, inbox, LIMIT)
    assert no_open == []


def test_a_file_at_the_size_limit_is_taken(inbox: Path) -> None:
    """A file exactly at the limit is still taken."""
    path = inbox / "full.txt"
    path.write_bytes(b"y" * LIMIT)
    assert len(take(path, inbox, LIMIT).data) == LIMIT


def test_a_symlink_out_of_the_inbox_is_refused_and_not_followed(
    tmp_path: Path, inbox: Path, no_open: list[str]
) -> None:
    """A symlink whose target lies outside the inbox is refused without opening the target."""
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the stream")
    (inbox / "link.txt").symlink_to(secret)
    with pytest.raises(Refused, match="points outside .*inbox; refused, not followed"):
        take(inbox / "link.txt", inbox, LIMIT)
    assert no_open == []


def test_a_relative_symlink_escaping_the_inbox_is_refused(tmp_path: Path, inbox: Path) -> None:
    """A relative symlink climbing out of the inbox with .. is refused too."""
    (tmp_path / "outside.txt").write_text("outside")
    (inbox / "up.txt").symlink_to(Path("..") / "outside.txt")
    with pytest.raises(Refused, match="outside .*inbox"):
        take(inbox / "up.txt", inbox, LIMIT)


def test_a_symlink_inside_the_inbox_is_followed(inbox: Path) -> None:
    """A symlink to another file in the inbox is read through, under the link's name."""
    (inbox / "sub").mkdir()
    (inbox / "sub" / "real.txt").write_bytes(b"Linked story.")
    (inbox / "alias.txt").symlink_to(Path("sub") / "real.txt")
    taken = take(inbox / "alias.txt", inbox, LIMIT)
    assert (taken.data, taken.source.name) == (b"Linked story.", "alias.txt")


def test_a_dangling_symlink_is_refused(inbox: Path) -> None:
    """A symlink to a missing file inside the inbox is refused as dangling."""
    (inbox / "ghost.txt").symlink_to(inbox / "missing.txt")
    with pytest.raises(Refused, match="dangling symlink"):
        take(inbox / "ghost.txt", inbox, LIMIT)


def test_a_directory_is_refused(inbox: Path) -> None:
    """A folder is not a regular file and is refused."""
    (inbox / "folder.txt").mkdir()
    with pytest.raises(Refused, match="not a regular file"):
        take(inbox / "folder.txt", inbox, LIMIT)


def test_a_missing_file_has_vanished(inbox: Path) -> None:
    """A file gone before it is read is Vanished (to retry), not Refused."""
    with pytest.raises(Vanished, match="disappeared before it was read"):
        take(inbox / "gone.txt", inbox, LIMIT)


@pytest.fixture
def reader_that(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Make intake's read do something to the file right after reading it."""
    actions: list[str] = []
    real_read_fd = intake.read_fd

    def patched_read_fd(fd: int, limit: int) -> bytes:
        data = real_read_fd(fd, limit)
        path = os.readlink(f"/proc/self/fd/{fd}")
        if "grow" in actions:
            with builtins.open(path, "ab") as other:
                other.write(b" and more")
        if "remove" in actions:
            os.unlink(path)
        return data

    monkeypatch.setattr(intake, "read_fd", patched_read_fd)
    yield actions


def test_a_file_written_to_while_read_has_vanished(inbox: Path, reader_that: list[str]) -> None:
    """A file that grows while it is read is not taken: it is still being written."""
    reader_that.append("grow")
    path = inbox / "busy.txt"
    path.write_bytes(b"First half")
    with pytest.raises(Vanished, match="changed while it was read"):
        take(path, inbox, LIMIT)


def test_a_file_deleted_while_read_has_vanished(inbox: Path, reader_that: list[str]) -> None:
    """A file removed while it is read is not taken."""
    reader_that.append("remove")
    path = inbox / "fleeting.txt"
    path.write_bytes(b"Here, then gone")
    with pytest.raises(Vanished, match="removed while it was read"):
        take(path, inbox, LIMIT)


@pytest.mark.parametrize(
    "name", ["with spaces.txt", "line\nbreak.txt", "новости дня.txt", "新闻.md", "نبأ.txt"]
)
def test_unusual_names_are_taken_as_they_are(inbox: Path, name: str) -> None:
    """Names with spaces, newlines and non-Latin letters are taken under their exact name."""
    path = inbox / name
    path.write_bytes(b"Story.")
    assert take(path, inbox, LIMIT).source.name == name


@pytest.fixture
def world_readable_dir() -> Iterator[Path]:
    """A folder every user can enter (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-perm-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def test_a_file_without_read_permission_is_refused(world_readable_dir: Path) -> None:
    """A file the daemon's user may not read is refused with the reason.

    Root reads anything, so as root the check runs with the effective user
    switched to "nobody" (65534) for the read, then switched back."""
    path = world_readable_dir / "locked.txt"
    path.write_bytes(b"Private.")
    path.chmod(0o000)
    if os.geteuid() != 0:
        with pytest.raises(Refused, match="no permission to read the file"):
            take(path, world_readable_dir, LIMIT)
        return
    os.seteuid(65534)
    try:
        with pytest.raises(Refused, match="no permission to read the file"):
            take(path, world_readable_dir, LIMIT)
    finally:
        os.seteuid(0)


def test_a_refused_file_becomes_one_failed_record(tmp_path: Path, inbox: Path) -> None:
    """Under `process`, a refused file gives a failed record from the intake, whose id is
    made of its name and its inode, never its path alone (two refused files never share
    an id)."""
    app = build_app(Settings(workdir=str(tmp_path), command="process"))
    path = inbox / "huge.txt"
    path.write_bytes(b"z" * (2 * 1024 * 1024))
    result = handle(app.pm, str(path), str(inbox), 1024 * 1024)
    (article,) = result.articles
    record = article.to_record()
    assert record["status"] == "failed"
    assert record["errors"][0]["stage"] == "read" and record["errors"][0]["plugin"] == "intake"
    assert "over the limit" in record["errors"][0]["message"]
    assert record["id"] == unread_id(path)
    assert record["id"] != hashlib.sha256(os.fsencode(path.absolute())).hexdigest()
    assert record["source"]["size"] == 2 * 1024 * 1024


@pytest.mark.parametrize(
    "name", [".hidden.txt", "story.txt.part", "story.tmp", "story.txt~", ".story.txt.swp",
             "story.txt.swp", "story.txt.crdownload"]
)
def test_hidden_and_temporary_names_are_ignored(name: str) -> None:
    """Hidden files and partial-download names are not taken until renamed."""
    assert is_ignored(name, DEFAULT_IGNORE)


@pytest.mark.parametrize("name", ["story.txt", "story", "tmp.txt", "part one.html", "a~b.txt"])
def test_ordinary_names_are_not_ignored(name: str) -> None:
    """Article names, including ones that merely contain "tmp" or "~", are taken."""
    assert not is_ignored(name, DEFAULT_IGNORE)


# --- files read by line (JSON lines) -------------------------------------------------


def _by_line(source: Any, head: bytes) -> bool:
    return True


def test_a_file_read_by_line_is_hashed_whole_and_not_held_to_the_size_limit(
        inbox: Path) -> None:
    data = b"".join(b'{"text": "line %d"}\n' % i for i in range(200))
    assert len(data) > LIMIT
    (inbox / "feed.jsonl").write_bytes(data)
    lines = take(inbox / "feed.jsonl", inbox, LIMIT, _by_line)
    assert isinstance(lines, intake.Lines)
    try:
        assert lines.digest == hashlib.sha256(data).hexdigest()
        got = list(lines.read(0, LIMIT))
        assert b"".join(raw or b"" for _, _, raw in got) == data
        assert [end for _, end, _ in got][-1] == len(data)
        assert lines.unchanged()
    finally:
        lines.close()


def test_a_line_longer_than_the_limit_is_skipped_whole_and_reading_goes_on(
        inbox: Path) -> None:
    long = b'{"text": "' + b"x" * (3 * LIMIT) + b'"}\n'
    data = b'{"text": "a"}\n' + long + b'{"text": "b"}\n'
    (inbox / "feed.jsonl").write_bytes(data)
    lines = take(inbox / "feed.jsonl", inbox, LIMIT, _by_line)
    assert isinstance(lines, intake.Lines)
    try:
        got = list(lines.read(0, LIMIT))
    finally:
        lines.close()
    assert [raw for _, _, raw in got] == [b'{"text": "a"}\n', None, b'{"text": "b"}\n']
    assert got[1][1] - got[1][0] == len(long)


def test_reading_by_line_starts_at_the_byte_it_is_given(inbox: Path) -> None:
    data = b'{"text": "a"}\n\n{"text": "b"}\n'
    (inbox / "feed.jsonl").write_bytes(data)
    lines = take(inbox / "feed.jsonl", inbox, LIMIT, _by_line)
    assert isinstance(lines, intake.Lines)
    try:
        got = [raw for _, _, raw in lines.read(data.index(b"\n") + 1, LIMIT)]
    finally:
        lines.close()
    assert got == [b"\n", b'{"text": "b"}\n']


def test_a_worker_says_alive_between_a_files_articles_not_after_the_last(
        tmp_path: Path, inbox: Path) -> None:
    """The time limit restarts with each article of a many-article file; after the last
    one the file's own result follows at once, so no message says "alive" before it."""
    app = build_app(Settings(workdir=str(tmp_path), command="process", overrides={
        "plugins": {"disable": ["clean", "extract", "translate", "index"]}}))
    calls: list[int] = []
    one = inbox / "one.txt"
    one.write_text("A short story.\n\nIts only paragraph.\n")
    assert len(handle(app.pm, str(one), str(inbox), LIMIT, alive=lambda: calls.append(1))
               .articles) == 1
    assert calls == []
    many = inbox / "many.jsonl"
    many.write_text("".join(f'{{"title": "T{i}", "text": "Body {i}."}}\n' for i in range(3)))
    assert len(handle(app.pm, str(many), str(inbox), LIMIT, alive=lambda: calls.append(1))
               .articles) == 3
    assert calls == [1, 1]
    app.shutdown()

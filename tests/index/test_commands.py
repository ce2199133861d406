"""`newsdesk search`, `newsdesk stories` and `newsdesk reindex` as a user runs them."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from newsdesk.cli import main
from newsdesk.errors import EXIT_OK, EXIT_PATH, EXIT_USAGE
from newsdesk_plugins.index.tantivy_engine import TantivyBackend

from .helpers import STORM_EN, TRAM_DE, TRAM_EN, record, write_stream

TRANSLATION = {"lang": "en", "title": "Lyon council approves tram line",
               "text": "The city council of Lyon approved the new tram line on Tuesday after a "
                       "long debate. Mayor Claire Dubois said the line would connect the "
                       "northern districts with the centre by 2030."}


@pytest.fixture
def stream(workdir: Path) -> Path:
    return write_stream(workdir / "output" / "articles-2026-03-04.jsonl", [
        record(TRAM_EN, title="Lyon approves tram line", published="2026-03-03T09:00",
               site="lyon-news.example", entities=["Lyon", "Claire Dubois"]),
        record(TRAM_EN + " Copyright Wire.", title="Lyon tram (wire)",
               published="2026-03-03T11:00", site="wire.example",
               entities=["Lyon", "Claire Dubois"]),
        record(TRAM_DE, title="Stadtrat genehmigt Straßenbahn", lang="de",
               published="2026-03-04", site="zeitung.example",
               entities=["Lyon", "Claire Dubois"], translation=TRANSLATION),
        record(STORM_EN, title="Storm hits Portugal", published="2026-03-01",
               site="coast.example", entities=["Portugal", "Porto"]),
    ])


def cli(capsys: pytest.CaptureFixture[str], workdir: Path, *args: str) -> tuple[int, str, str]:
    try:
        code = main([args[0], "--workdir", str(workdir), *args[1:]])
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def reindexed(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    code, _, err = cli(capsys, workdir, "reindex")
    assert code == EXIT_OK, err


def test_reindex_builds_the_index_and_stories_from_the_stream(
        capsys: pytest.CaptureFixture[str], workdir: Path, stream: Path) -> None:
    """`reindex` with no files reads the stream, groups duplicates and stories and says how
    many articles it indexed."""
    code, _, err = cli(capsys, workdir, "reindex")
    assert code == EXIT_OK and "indexed 4 articles from 1 file" in err
    code, out, _ = cli(capsys, workdir, "search", "tram", "--json", "--limit", "10")
    hits = [orjson.loads(line) for line in out.splitlines()]
    assert len(hits) == 3
    stories = {h["story"] for h in hits}
    assert len(stories) == 1
    wire = next(h for h in hits if h["site"] == "wire.example")
    original = next(h for h in hits if h["site"] == "lyon-news.example")
    assert wire["duplicate_of"] == original["id"]


def test_search_prints_title_date_site_and_highlighted_snippet(
        capsys: pytest.CaptureFixture[str], workdir: Path, stream: Path) -> None:
    """Plain output: a numbered title, date, site and a snippet with the match marked; the
    count goes to stderr."""
    reindexed(capsys, workdir)
    code, out, err = cli(capsys, workdir, "search", "storm", "Portugal")
    assert code == EXIT_OK
    assert out.startswith("1. Storm hits Portugal\n   2026-03-01 00:00, coast.example, en")
    assert "*storm*" in out
    assert "1 of 1 matching article" in err


def test_json_lines_carry_the_snippet_and_highlight_ranges(
        capsys: pytest.CaptureFixture[str], workdir: Path, stream: Path) -> None:
    """--json prints one object a line, with highlight ranges into the plain snippet."""
    reindexed(capsys, workdir)
    _, out, _ = cli(capsys, workdir, "search", "storm", "--json")
    hit = orjson.loads(out.splitlines()[0])
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end].lower() == "storm"
    assert hit["date"] == "2026-03-01T00:00:00Z" and hit["lang"] == "en"


def test_filters_on_the_command_line(capsys: pytest.CaptureFixture[str], workdir: Path,
                                     stream: Path) -> None:
    """--lang, --site, --entity, --since, --until and --story narrow the results."""
    reindexed(capsys, workdir)

    def sites(*args: str) -> list[str]:
        _, out, _ = cli(capsys, workdir, "search", *args, "--json")
        return sorted(orjson.loads(line)["site"] for line in out.splitlines())

    assert sites("tram", "--lang", "de") == ["zeitung.example"]
    assert sites("--site", "coast.example") == ["coast.example"]
    assert sites("--entity", "porto") == ["coast.example"]
    assert sites("tram", "--since", "2026-03-04") == ["zeitung.example"]
    assert sites("--until", "2026-03-01") == ["coast.example"]
    _, out, _ = cli(capsys, workdir, "search", "Portugal", "--json")
    story = orjson.loads(out.splitlines()[0])["story"]
    assert sites("--story", story) == ["coast.example"]


@pytest.mark.parametrize("query", ['title:(', '"', "AND", "x" * 10_000, "日本", "", "--"])
def test_any_query_gives_an_answer_never_a_traceback(
        capsys: pytest.CaptureFixture[str], workdir: Path, stream: Path, query: str) -> None:
    """Bad syntax, an empty or 10,000-character query: exit 0, at most one note line, no
    traceback."""
    reindexed(capsys, workdir)
    code, _, err = cli(capsys, workdir, "search", "--", query)
    assert code == EXIT_OK
    assert "Traceback" not in err and "unexpected" not in err
    assert sum(1 for line in err.splitlines() if line.startswith("newsdesk: note")) <= 1


def test_bad_options_and_a_missing_index_are_one_line(
        capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    """A bad date or limit is a usage error; no index yet is one line naming the folder."""
    code, _, err = cli(capsys, workdir, "search", "x", "--since", "yesterday")
    assert code == EXIT_USAGE and "not a date" in err
    code, _, err = cli(capsys, workdir, "search", "x", "--limit", "0")
    assert code == EXIT_USAGE
    code, _, err = cli(capsys, workdir, "search", "x")
    assert code == EXIT_PATH and len(err.strip().splitlines()) == 1 and "reindex" in err
    code, _, err = cli(capsys, workdir, "stories")
    assert code == EXIT_PATH and len(err.strip().splitlines()) == 1


def test_stories_lists_count_dates_entities_and_title(
        capsys: pytest.CaptureFixture[str], workdir: Path, stream: Path) -> None:
    """`stories` lists the tram story with its three articles in two languages."""
    reindexed(capsys, workdir)
    code, out, _ = cli(capsys, workdir, "stories", "--json")
    assert code == EXIT_OK
    rows = [orjson.loads(line) for line in out.splitlines()]
    assert len(rows) == 1
    row = rows[0]
    assert row["articles"] == 3 and row["languages"] == 2
    assert row["first_seen"] == "2026-03-03T09:00:00Z"
    assert row["last_seen"] == "2026-03-04T00:00:00Z"
    assert set(row["entities"]) == {"Lyon", "Claire Dubois"}
    assert row["title"] == "Lyon approves tram line"
    code, out, _ = cli(capsys, workdir, "stories", "--min-articles", "1")
    assert "3 articles, 2 languages" in out and "Storm hits Portugal" in out


def test_reindex_is_refused_while_the_index_is_being_written(
        capsys: pytest.CaptureFixture[str], workdir: Path, stream: Path) -> None:
    """With another writer holding the index (the daemon), reindex says so in one line;
    a missing input file is named."""
    holder = TantivyBackend(workdir / "state" / "index", writable=True, heap_mb=15)
    code, _, err = cli(capsys, workdir, "reindex")
    assert code == EXIT_PATH and "another process" in err and len(err.strip().splitlines()) == 1
    holder.close()
    code, _, err = cli(capsys, workdir, "reindex", str(workdir / "nope.jsonl"))
    assert code == EXIT_PATH and "nope.jsonl" in err


def test_reindex_twice_gives_the_same_stories(
        capsys: pytest.CaptureFixture[str], workdir: Path, stream: Path) -> None:
    """Records that already carry a story keep it when the index is rebuilt."""
    reindexed(capsys, workdir)
    _, first, _ = cli(capsys, workdir, "stories", "--json", "--min-articles", "1")
    reindexed(capsys, workdir)
    _, second, _ = cli(capsys, workdir, "stories", "--json", "--min-articles", "1")
    assert first == second

"""The bench's baseline: trafilatura alone on the same files, in the same run."""

from __future__ import annotations

from pathlib import Path

import orjson

from newsdesk.bench import _baseline_line
from newsdesk.benchbaseline import Baseline, looks_like_html, trafilatura_rate

_PAGE = """<!DOCTYPE html><html lang="en"><head><title>Harbour reopens | The Coast Daily</title>
<meta name="author" content="Mara Quill"></head><body><nav>Home | World | Sport</nav>
<article><h1>Harbour reopens after storm repairs</h1>{paras}</article>
<footer>Copyright The Coast Daily</footer></body></html>"""


def _page(i: int) -> bytes:
    paras = "".join(f"<p>Paragraph {j} of page {i}: the harbour master said the pier, closed since "
                    f"the storm, would take ferries again from Monday, with {j + 3} berths.</p>"
                    for j in range(8))
    return _PAGE.format(paras=paras).encode()


def test_a_page_is_told_from_plain_text_by_its_markup() -> None:
    assert looks_like_html(b"\n  <!DOCTYPE HTML><html><body>x</body></html>")
    assert looks_like_html(b"<html lang='de'><head></head>")
    assert not looks_like_html(b"Harbour reopens\n\nThe harbour master said <b>ferries</b> return.")


def test_trafilatura_alone_extracts_every_page_and_writes_a_line_each(tmp_path: Path) -> None:
    files = [(f"p{i}.html", _page(i)) for i in range(6)]
    out = tmp_path / "trafilatura.jsonl"
    result = trafilatura_rate(files, 2, out)
    assert result is not None
    assert (result.pages, result.extracted) == (6, 6)
    assert result.rate > 0 and result.cpu_ms > 0
    lines = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert len(lines) == 6 and all("harbour master" in line["text"] for line in lines)


def test_plain_text_articles_get_no_baseline_and_the_bench_says_why(tmp_path: Path) -> None:
    files = [(f"a{i}.txt", b"Harbour reopens\n\nThe harbour master said ferries return.")
             for i in range(4)]
    assert trafilatura_rate(files, 2, tmp_path / "t.jsonl") is None
    assert "not run (the files are plain text" in _baseline_line(None, 80.0, 12.0)


def test_the_baseline_line_gives_newsdesk_s_rate_and_cpu_against_trafilatura_s() -> None:
    line = _baseline_line(Baseline(rate=40.0, cpu_ms=25.0, extracted=9, pages=10), 20.0, 50.0)
    assert "40.0 pages/s" in line and "9 of 10 extracted" in line
    assert "newsdesk 0.50x its rate, 2.00x its CPU" in line

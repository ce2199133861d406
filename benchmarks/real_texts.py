"""Write news-articles-dev's real articles as plain-text files, for ``newsdesk bench --folder``.

    .venv/bin/python benchmarks/real_texts.py --news ../shared/datasets/news-articles-dev \
        --out /tmp/realtext
    newsdesk bench --stages --folder /tmp/realtext --count 400 --warm 20 --seconds 8

Issue 13 measures the daemon on "real ~5 KB news text". The bench's default articles are
the project's own generated ones; this gives it real ones without copying any into the
project: the files are written to ``--out`` (outside the repository) from the dataset
at the path given.

``--form article`` (the default) writes each article's title, a blank line and its
hand-cleaned text (median about 3.7 KB): real news prose, names and numbers as
published. ``--form dump`` writes the full-page text dump of each saved page
(inscriptis, as ``record_bench.py`` makes them: median about 11 KB, with the site's
menus, teasers and footers), the messier kind a scraper hands over.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path


def article_text(row: dict[str, str]) -> str:
    """The article as a reader would have it: title, blank line, body."""
    return f"{row['title'].strip()}\n\n{row['text'].strip()}\n"


def dump_text(news: Path, row: dict[str, str]) -> str:
    """The saved page's full text dump (inscriptis), chrome and all."""
    from inscriptis import get_text

    raw = gzip.decompress((news / "html" / f"{row['html_file']}.html.gz").read_bytes())
    return str(get_text(raw.decode("utf-8", errors="replace")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--news", type=Path, required=True,
                        help="the news-articles-dev folder (articles.jsonl, html/)")
    parser.add_argument("--out", type=Path, required=True,
                        help="folder to write the .txt files to (created; outside the repository)")
    parser.add_argument("--form", choices=("article", "dump"), default="article",
                        help="title and hand-cleaned body, or the page's full text dump")
    args = parser.parse_args(argv)
    listing = args.news / "articles.jsonl"
    if not listing.is_file():
        print(f"real_texts: {listing}: no such file (give the news-articles-dev folder)", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    sizes = []
    for line in listing.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        text = article_text(row) if args.form == "article" else dump_text(args.news, row)
        data = text.encode("utf-8")
        (args.out / f"{int(row['id']):04d}.txt").write_bytes(data)
        sizes.append(len(data))
    sizes.sort()
    median = sizes[len(sizes) // 2] if sizes else 0
    print(f"real_texts: {len(sizes)} files ({args.form}) in {args.out}, median {median / 1024:.1f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

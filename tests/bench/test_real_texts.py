"""benchmarks/real_texts.py: a dataset's articles written as plain-text files for the bench."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import real_texts  # noqa: E402


def _dataset(folder: Path) -> Path:
    rows = [
        {"id": 8, "title": " Harbour reopens ", "text": "The harbour of Varna reopened on Monday.\n\nShips waited.",
         "html_file": "x8"},
        {"id": 12, "title": "Vote delayed", "text": "The council delayed its vote.", "html_file": "x12"},
    ]
    (folder / "articles.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return folder


def test_each_article_becomes_a_text_file_of_title_blank_line_and_body(tmp_path: Path) -> None:
    news = _dataset(tmp_path)
    out = tmp_path / "out"
    assert real_texts.main(["--news", str(news), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["0008.txt", "0012.txt"]
    assert (out / "0008.txt").read_text("utf-8") == (
        "Harbour reopens\n\nThe harbour of Varna reopened on Monday.\n\nShips waited.\n")


def test_a_folder_without_the_listing_is_refused_with_exit_2(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert real_texts.main(["--news", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert "articles.jsonl: no such file" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()

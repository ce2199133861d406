"""benchmarks/stage_cpu.py (a component benchmark) runs clean and extract on generated
articles and on a folder's files, compressed ones too, and prints CPU per article."""

from __future__ import annotations

import gzip
import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "stage_cpu.py"


def test_stage_cpu_prints_each_stages_cpu_by_source_and_language(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("stage_cpu", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["stage_cpu"] = module
    spec.loader.exec_module(module)
    story = ("The harbour board met on Tuesday to discuss the new ferry timetable for the islands. " * 8).encode()
    (tmp_path / "a.txt").write_bytes(story)
    (tmp_path / "b.txt.gz").write_bytes(gzip.compress(story))
    assert module.main(["--generated", "2", "--languages", "en=1", "--warm", "0",
                        "--folder", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "component benchmark" in out
    assert "generated      clean    n=    2" in out
    assert "folder         clean    n=    2" in out  # the .gz file decompressed, not refused
    assert "folder:en      extract  n=    2" in out

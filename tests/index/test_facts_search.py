"""Issue 11: `search --entity` and free text find every article of an entity, whatever
name or script it was written in (canonical names and aliases from extract's records)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from newsdesk.cli import main
from newsdesk.errors import EXIT_OK

from .helpers import record, write_stream


def entity(name: str, *aliases: str, kind: str = "LOC") -> dict[str, Any]:
    return {"name": name, "type": kind, "aliases": list(aliases) or [name], "mentions": 1,
            "spans": []}


@pytest.fixture
def stream(workdir: Path) -> Path:
    a = record("Troops entered the main square of Almaty on Thursday morning after protests.",
               title="Troops in Almaty", published="2026-01-06")
    a["entities"] = [entity("Almaty", "Almaty")]
    b = record("Protests went on in Alma-Ata, where the CSTO sent peacekeepers overnight.",
               title="Peacekeepers arrive", published="2026-01-07", rid_text="b")
    b["entities"] = [entity("Almaty", "Alma-Ata"),
                     entity("Collective Security Treaty Organization", "CSTO", kind="ORG")]
    c = record("В Алматы миротворцы ОДКБ охраняют аэропорт, сообщает агентство.", lang="ru",
               title="Миротворцы в Алматы", published="2026-01-08", rid_text="c")
    c["entities"] = [entity("Almaty", "Алматы"),
                     entity("Collective Security Treaty Organization", "ОДКБ", kind="ORG")]
    d = record("A storm closed the port of Porto for two days.", title="Storm",
               published="2026-01-07", rid_text="d")
    d["entities"] = [entity("Porto")]
    return write_stream(workdir / "output" / "articles-2026-01-08.jsonl", [a, b, c, d])


def search(capsys: pytest.CaptureFixture[str], workdir: Path, *args: str) -> set[str]:
    code = main(["search", "--workdir", str(workdir), "--json", "--limit", "20", *args])
    out, err = capsys.readouterr()
    assert code == EXIT_OK, err
    return {orjson.loads(line)["title"] for line in out.splitlines()}


@pytest.fixture
def indexed(capsys: pytest.CaptureFixture[str], workdir: Path, stream: Path) -> Path:
    assert main(["reindex", "--workdir", str(workdir)]) == EXIT_OK
    capsys.readouterr()
    return workdir


ALMATY = {"Troops in Almaty", "Peacekeepers arrive", "Миротворцы в Алматы"}


@pytest.mark.parametrize("name", ["Almaty", "Alma-Ata", "alma ata", "Алматы"])
def test_entity_search_finds_every_article_of_the_place_under_any_of_its_names(
        capsys: pytest.CaptureFixture[str], indexed: Path, name: str) -> None:
    assert search(capsys, indexed, "--entity", name) == ALMATY


def test_an_acronym_in_another_script_finds_the_organisation(
        capsys: pytest.CaptureFixture[str], indexed: Path) -> None:
    want = {"Peacekeepers arrive", "Миротворцы в Алматы"}
    assert search(capsys, indexed, "--entity", "ODKB") == want
    assert search(capsys, indexed, "--entity", "CSTO") == want


def test_free_text_naming_an_entity_searches_all_its_names(
        capsys: pytest.CaptureFixture[str], indexed: Path) -> None:
    assert search(capsys, indexed, "Алматы") == ALMATY
    assert search(capsys, indexed, "Porto") == {"Storm"}


def test_a_name_extract_left_in_another_script_is_found_by_its_sound(
        capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    """Extract leaves `Роберт Фицо` in Cyrillic (no alias known): `--entity "Robert Fico"`
    still finds the Russian report, and the other way round; a person whose name is
    spelled alike but sounds otherwise (`Roberta Fiocco`) is not found."""
    en = record("Robert Fico was taken to hospital in Banska Bystrica.", title="Fico shot",
                published="2026-05-15", rid_text="en")
    en["entities"] = [entity("Robert Fico", kind="PER")]
    ru = record("Роберт Фицо доставлен в больницу.", lang="ru", title="Покушение",
                published="2026-05-16", rid_text="ru")
    ru["entities"] = [entity("Роберт Фицо", kind="PER")]
    other = record("Roberta Fiocco opened the exhibition in Milan.", title="Exhibition",
                   published="2026-05-16", rid_text="other")
    other["entities"] = [entity("Roberta Fiocco", kind="PER")]
    write_stream(workdir / "output" / "articles-2026-05-16.jsonl", [en, ru, other])
    assert main(["reindex", "--workdir", str(workdir)]) == EXIT_OK
    capsys.readouterr()
    assert search(capsys, workdir, "--entity", "Robert Fico") == {"Fico shot", "Покушение"}
    assert search(capsys, workdir, "--entity", "Роберт Фицо") == {"Fico shot", "Покушение"}

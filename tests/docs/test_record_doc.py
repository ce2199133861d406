"""docs/record.md agrees with the records newsdesk writes."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import orjson
import pytest

from newsdesk.record import NESTED, OWNED
from tests.docs.pages import page, section

OWNERS = {"framework", "readers", "clean", "extract", "translate", "index"}


def table() -> dict[str, list[str]]:
    """The field table: field name to its owners."""
    text = page("record.md").split("## Examples", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| [^|]+ \| ([^|]+) \|", text, re.M)
    return {name: [o.strip() for o in owners.split(",")] for name, owners in rows}


def full_example() -> tuple[str, dict[str, object]]:
    """The article shown under 'With all four stage plugins' and its record."""
    after = section(page("record.md"), "## Examples").split("With all four stage plugins", 1)[1]
    block = after.split("\n\n    ", 1)[1].split("\n\ngives this record", 1)[0]
    shown = re.search(r"```json\n(.*?)```", after, re.S)
    assert shown
    record = orjson.loads("".join(line.strip() for line in shown.group(1).splitlines())
                          .replace("…", ""))
    return textwrap.dedent("    " + block), record


def test_every_field_of_the_table_has_an_owner_that_exists() -> None:
    fields = table()
    assert len(fields) >= 20
    bad = {name: owners for name, owners in fields.items() if not set(owners) <= OWNERS}
    assert not bad


def test_the_table_lists_every_field_of_the_full_example_in_its_order() -> None:
    _, example = full_example()
    fields = list(table())
    assert [f for f in fields if f in example] == list(example)


def keys_of(typed: Any) -> set[str]:
    return set(typed.__required_keys__) | set(typed.__optional_keys__)


def test_each_owners_rows_are_the_fields_of_its_typed_dict() -> None:
    """The table and newsdesk.record agree: the fields a row gives to an owner are the keys
    of that owner's TypedDict, and the other way round."""
    fields = table()
    for owner, typed in OWNED.items():
        documented = {name for name, owners in fields.items() if owner in owners}
        assert documented == keys_of(typed), owner


def test_the_full_examples_objects_have_the_typed_keys() -> None:
    """Each object of the four-plugin example (source, an entity, a fact, a segment, the
    translation, ...) has the required keys of its TypedDict and no key it lacks."""
    _, example = full_example()
    checked = 0
    for key, typed in NESTED.items():
        value = example.get(key)
        objects = value if isinstance(value, list) else [value] if value is not None else []
        for obj in objects:
            assert isinstance(obj, dict)
            assert set(typed.__required_keys__) <= set(obj) <= keys_of(typed), key
            checked += 1
    assert checked >= 8


def shape(value: object) -> object:
    """The keys of a record, recursively (the first item stands for a list)."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list) and value:
        return [shape(value[0])]
    return type(value).__name__ if value is not None else None


@pytest.mark.slow
def test_the_full_record_example_has_the_fields_a_real_record_has(tmp_path: Path) -> None:
    """The four-plugin record example has the fields, nesting and order that
    `newsdesk process` writes for the article shown above it."""
    article, example = full_example()
    (tmp_path / "es.txt").write_text(article + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "newsdesk", "process", "--workdir", str(tmp_path),
         str(tmp_path / "es.txt")], capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    record = orjson.loads(done.stdout)
    assert isinstance(example["source"], dict)
    assert record["source"]["size"] == example["source"]["size"], "not the article shown"
    assert list(record) == list(example)
    for key, value in example.items():
        if isinstance(value, list) and value and record[key]:
            assert list(shape(record[key])[0]) == list(shape(value)[0]), key  # type: ignore[index,call-overload]
        elif isinstance(value, dict):
            assert list(record[key]) == list(value), key

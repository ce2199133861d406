"""A user's spaCy model beside the rules: loaded through ``spacy.load`` from the folder
``ner_model`` names, on a tiny model this test trains itself (nothing is downloaded)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from newsdesk.errors import ConfigError
from newsdesk_plugins import extract

from ..plugin_config import configured, plugin_config
from .conftest import make_article

pytest.importorskip("spacy", reason="spaCy is the ner extra (the test extra installs it)")

#: A made-up name, written in lower case so that no capitalisation rule can find it: only
#: the model can.
NAME = "zorvath"
TRAIN = [
    "yesterday {} met the harbour board.",
    "the mayor and {} opened the new bridge.",
    "{} said the ferries would run again.",
    "according to {} the port reopened.",
    "reporters asked {} about the strike.",
    "the council thanked {} for the report.",
    "{} left the meeting early.",
    "a letter from {} reached the minister.",
]


def _train(folder: Path) -> None:
    import spacy
    from spacy.training import Example

    spacy.util.fix_random_seed(0)
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    ner.add_label("PERSON")
    examples = []
    for pattern in TRAIN:
        text = pattern.format(NAME)
        start = text.index(NAME)
        examples.append(Example.from_dict(nlp.make_doc(text),
                                          {"entities": [(start, start + len(NAME), "PERSON")]}))
    nlp.initialize(lambda: examples)
    rng = random.Random(0)
    for _ in range(40):
        rng.shuffle(examples)
        nlp.update(examples, drop=0.0)
    nlp.to_disk(folder)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tiny_ner")
    _train(folder)
    return folder


def _run(tmp_path: Path, settings: dict[str, Any]) -> dict[str, Any]:
    pm = configured(extract, plugin_config(extract, tmp_path, extract=settings), "worker")
    text = (f"The harbour board met on Monday. Later the council thanked {NAME} for the "
            "report on the new ferry timetable and the repairs to the northern pier.")
    article = make_article(text, record={"text": text, "title": "Harbour", "removed": []})
    pm.get_plugin("extract.engine").newsdesk_extract(article=article)
    return article.record


@pytest.mark.slow
def test_a_model_folder_adds_its_entities_to_the_rules(tmp_path: Path, model_dir: Path) -> None:
    """With ``ner_model`` naming a model folder, a person only the model knows is in
    ``entities``; without it, the rules alone do not find that person."""
    with_model = _run(tmp_path, {"ner_model": str(model_dir)})
    assert NAME in [e["name"].lower() for e in with_model["entities"] if e["type"] == "PER"]
    rules_only = _run(tmp_path, {})
    assert NAME not in [e["name"].lower() for e in rules_only["entities"]]


def test_a_folder_that_is_not_a_spacy_model_is_a_clear_config_error(tmp_path: Path) -> None:
    """A ``ner_model`` path without a spaCy config.cfg is refused at configure time, naming it."""
    (tmp_path / "models" / "empty").mkdir(parents=True)
    config = plugin_config(extract, tmp_path, extract={"ner_model": "./models/empty"})
    with pytest.raises(ConfigError, match="not a spaCy model folder"):
        configured(extract, config, "main")

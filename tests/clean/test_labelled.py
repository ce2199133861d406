"""The labelled set: every junk line removed with the right role, every story line kept."""

from __future__ import annotations

import pytest

from newsdesk_plugins.clean.engine import Cleaner

from .clean_helpers import DATA
from .labelled import Case, check, load_labelled

CASES = load_labelled(DATA)


def test_the_set_is_large_and_varied() -> None:
    """Holds at least 40 articles, at least five in each of the seven languages."""
    assert len(CASES) >= 40
    for lang in ("en", "ru", "de", "pl", "es", "fr", "it"):
        assert sum(c.name.startswith(lang + "_") for c in CASES) >= 5, lang


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_labelled_article(cleaner: Cleaner, case: Case) -> None:
    """Removes every junk line with its labelled role and keeps every story line in order."""
    assert check(cleaner, case) == []
    result = cleaner.clean_text(case.text)
    assert result.paragraphs == case.story

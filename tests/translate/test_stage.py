"""The stage on whole articles: what goes into the record, and what happens when an
engine is missing, crashes or answers nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from structlog.testing import capture_logs

from newsdesk.article import Article, Source
from newsdesk_plugins.translate.langid import LanguageId
from newsdesk_plugins.translate.stage import Translator, run

from .conftest import Failing, Recording, make_article, translate

ES = "La policía detuvo ayer a tres personas por el robo de 200 ordenadores en Sevilla."
DE = "Die Polizei hat gestern drei Personen wegen des Diebstahls festgenommen."
EN = "The police said the investigation was continuing."
BODY = f"{EN}\n\n{ES}\n\n{DE}"


def upper(text: str) -> str:
    return text.upper()


def test_the_record_has_segments_and_the_whole_body_in_the_target_language(
        translator: Callable[..., Translator]) -> None:
    """Target-language passages stay as they are, the rest are replaced by their
    translation in translation.text; segments locate the original by its span and keep
    the engine."""
    engine = Recording(upper)
    art = translate(translator(engine), BODY, "Tres detenidos en Sevilla por un robo")
    rec = art.record
    assert [s["lang"] for s in rec["segments"]] == ["en", "es", "de"]
    assert rec["segments"][0]["translation"] is None and rec["segments"][0]["engine"] is None
    start, end = rec["segments"][1]["span"]
    assert BODY[start:end] == ES and rec["segments"][1]["translation"] == ES.upper()
    assert rec["segments"][1]["engine"] == "recording"
    assert rec["translation"]["text"] == f"{EN}\n\n{ES.upper()}\n\n{DE.upper()}"
    assert rec["translation"]["title"] == "TRES DETENIDOS EN SEVILLA POR UN ROBO"
    assert rec["translation"]["lang"] == "en" and rec["translation"]["engines"] == ["recording"]
    assert rec["translation"]["complete"] is True
    assert art.status == "ok"


def test_a_two_word_title_takes_the_language_of_the_body(translator: Callable[..., Translator]) -> None:
    """A title of two words is too short to judge on its own ("Puerto reabierto" reads as
    German to the identifier): it takes the body's language and is translated with it."""
    engine = Recording(upper)
    art = translate(translator(engine), ES, "Puerto reabierto")
    assert engine.batches == [[ES, "Puerto reabierto"]]  # one Spanish batch, title included
    assert art.record["translation"]["title"] == "PUERTO REABIERTO"


def test_segments_of_one_language_go_to_the_engine_in_one_batch(translator: Callable[..., Translator]) -> None:
    """All Spanish passages of an article, title included, are one call to the engine."""
    engine = Recording(upper)
    translate(translator(engine), f"{ES}\n\n{EN}\n\n{ES} Otra vez.", "Tres detenidos en Sevilla por un robo")
    assert len(engine.batches) == 1 and len(engine.batches[0]) == 3


def test_no_engine_for_a_pair_keeps_the_passage_and_warns_once_per_run(
        translator: Callable[..., Translator]) -> None:
    """Without an engine for de->en the German passage is kept, marked untranslated with
    the reason, the status stays ok, and two articles (in two workers) give one warning."""
    engine = Recording(upper, pairs={("es", "en")})
    with capture_logs() as logs:
        first = translate(translator(engine, run_id="r1"), BODY)
        second = translate(translator(engine, run_id="r1"), f"{DE} Noch einmal.")
    seg = first.record["segments"][2]
    assert seg["translation"] is None and seg["note"] == "no translation engine installed for de->en"
    assert first.record["translation"]["text"].endswith(DE)
    assert first.record["translation"]["complete"] is False
    assert first.status == "ok" and second.status == "ok"
    warnings = [e for e in logs if e["log_level"] == "warning"]
    assert [w["pair"] for w in warnings] == ["de-en"]


def test_with_no_engine_configured_languages_are_identified_only(translator: Callable[..., Translator]) -> None:
    """engine = "none": segments carry their languages, nothing is translated, no warning."""
    with capture_logs() as logs:
        art = translate(translator(), BODY)
    assert [s["lang"] for s in art.record["segments"]] == ["en", "es", "de"]
    assert art.record["segments"][1]["note"] == "translation is off (no engine configured)"
    assert art.record["translation"]["complete"] is False
    assert not [e for e in logs if e["log_level"] == "warning"] and art.status == "ok"


def test_a_new_run_warns_again(translator: Callable[..., Translator]) -> None:
    """The once-per-run warning is given again by the next run."""
    engine = Recording(upper, pairs={("es", "en")})
    with capture_logs() as logs:
        translate(translator(engine, run_id="r1"), DE)
        translate(translator(engine, run_id="r2"), DE)
    assert len([e for e in logs if e["log_level"] == "warning"]) == 2


def test_reprocessing_translates_nothing_again(translator: Callable[..., Translator]) -> None:
    """The second time an article is processed every passage comes from the disk cache."""
    engine = Recording(upper)
    first = translate(translator(engine), BODY)
    again = Recording(upper)
    second = translate(translator(again), BODY)
    assert again.batches == [] and len(engine.batches) == 2  # es and de, once each
    assert second.record["translation"] == first.record["translation"]


def test_a_changed_passage_only_is_translated_again(translator: Callable[..., Translator]) -> None:
    """Only passages not in the cache go to the engine."""
    translate(translator(Recording(upper)), BODY)
    engine = Recording(upper)
    translate(translator(engine), BODY.replace("Sevilla", "Málaga"))
    assert engine.batches == [[ES.replace("Sevilla", "Málaga")]]


def test_a_translation_that_changes_a_number_is_flagged(translator: Callable[..., Translator]) -> None:
    """A translation whose numbers differ from the original's has numbers_mismatch and a note."""
    art = translate(translator(Recording(lambda t: t.replace("200", "20"))), ES)
    (seg,) = art.record["segments"]
    assert seg["numbers_mismatch"] is True and "numbers" in seg["note"]
    ok = translate(translator(Recording(upper), cache=False), ES)
    assert ok.record["segments"][0]["numbers_mismatch"] is False


def test_an_engine_that_crashes_leaves_the_passage_and_says_why(translator: Callable[..., Translator]) -> None:
    """An engine raising keeps the passages untranslated, the reason in errors; the rest
    of the article is still translated by the other language's engine."""
    crash = Failing(RuntimeError("segfault in the model"))
    crash.pairs = {("es", "en")}
    fine = Recording(upper, pairs={("de", "en")})
    art = translate(translator(crash, fine), BODY)
    es, de = art.record["segments"][1], art.record["segments"][2]
    assert es["translation"] is None and "segfault in the model" in es["note"]
    assert de["translation"] == DE.upper()
    assert art.status == "partial"
    assert any("es->en" in e["message"] and "segfault" in e["message"] for e in art.errors)


def test_an_engine_that_returns_nothing_is_not_a_translation(translator: Callable[..., Translator]) -> None:
    """Empty answers keep the original, with a note and an error."""
    art = translate(translator(Recording(lambda t: "  ")), ES)
    (seg,) = art.record["segments"]
    assert seg["translation"] is None and "returned nothing" in seg["note"]
    assert art.record["translation"]["text"] is None  # nothing translated: the record's text is the body
    assert any("returned nothing" in e["message"] for e in art.errors)


def test_an_engine_returning_too_few_answers_is_an_error(translator: Callable[..., Translator]) -> None:
    """A batch answered with the wrong number of translations is refused as a whole."""
    class Short(Recording):
        def translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
            return texts[:-1]

    art = translate(translator(Short(upper)), f"{ES}\n\n{ES} Y otro más.")
    assert all(s["translation"] is None for s in art.record["segments"])
    assert any("returned 1 translations for 2" in e["message"] for e in art.errors)


def test_unknown_script_is_kept_with_the_reason_in_errors(translator: Callable[..., Translator]) -> None:
    """A passage in a script none of the expected languages is written in stays untranslated,
    and errors say so."""
    greek = "Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία της χώρας."
    art = translate(translator(Recording(upper)), f"{EN}\n\n{greek}")
    seg = art.record["segments"][1]
    assert seg["lang"] == "und" and seg["translation"] is None and "greek script" in seg["note"]
    assert any("could not be identified" in e["message"] for e in art.errors)


def test_without_clean_the_input_itself_is_read(translator: Callable[..., Translator]) -> None:
    """When clean did not run (no text in the record) the article's content is translated."""
    art = make_article(ES)
    del art.record["text"]
    from newsdesk_plugins.translate.stage import run

    run(translator(Recording(upper)), art)
    assert art.record["translation"]["text"] == ES.upper()


def test_a_passage_too_short_to_identify_is_kept_without_error(translator: Callable[..., Translator]) -> None:
    """A body with too little text to tell its language is kept as it is, status ok."""
    art = translate(translator(Recording(upper)), "Zł 5")
    (seg,) = art.record["segments"]
    assert seg["lang"] is None and seg["translation"] is None and "too little text" in seg["note"]
    assert art.status == "ok"


def test_an_empty_body_gives_empty_segments(translator: Callable[..., Translator]) -> None:
    """No text: no segments, no translated body (it would be the text itself), no error."""
    art = translate(translator(Recording(upper)), "  \n\n ")
    assert art.record["segments"] == [] and art.record["translation"]["text"] is None
    assert art.status == "ok"


def test_a_huge_paragraph_is_translated_in_pieces(translator: Callable[..., Translator]) -> None:
    """A 100,000-character paragraph goes to the engine as pieces no longer than the maximum."""
    engine = Recording(upper)
    sentence = "La ciudad celebró ayer su fiesta mayor con música y fuegos artificiales. "
    text = (sentence * 1400)[:100_000]
    art = translate(translator(engine, max_segment_chars=2000), text)
    assert max(len(t) for t in engine.batches[0]) <= 2000
    assert art.record["translation"]["text"].rstrip() == text.upper().rstrip()


def test_an_article_in_the_target_language_holds_its_body_once(
        translator: Callable[..., Translator]) -> None:
    """Schema newsdesk/2: segments are spans into the record's text (no copy of the
    passage) and the translated body is null when it would be the text itself."""
    body = f"{EN}\n\nThe mayor said the bridge would reopen on Monday after three weeks of repairs."
    art = translate(translator(Recording(upper)), body)
    rec = art.record
    assert rec["translation"]["text"] is None and rec["translation"]["complete"] is True
    assert all("text" not in seg for seg in rec["segments"])
    assert [body[s:e] for s, e in (seg["span"] for seg in rec["segments"])] == body.split("\n\n")


def test_without_a_text_in_the_record_segments_carry_their_passage(
        translator: Callable[..., Translator]) -> None:
    """With clean off the record holds no text for spans to point into: each segment
    keeps its passage and the translated body is written out."""
    src = Source(path="t.txt", name="t.txt", size=len(BODY), mtime="", received="")
    art = Article(id="t", source=src, content=BODY)
    run(translator(Recording(upper)), art)
    assert [seg["text"] for seg in art.record["segments"]] == [EN, ES, DE]
    assert art.record["translation"]["text"] == f"{EN}\n\n{ES.upper()}\n\n{DE.upper()}"


EN_LONG = ("The police said on Monday that the investigation into the theft of the computers "
           "was continuing and that more arrests were expected in the coming days.")


def _spy_model(lid: LanguageId, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    judged: list[str] = []
    model = lid._identifier()
    classify = model.classify

    def spy(text: str) -> tuple[str, float]:
        judged.append(text)
        return classify(text)

    monkeypatch.setattr(model, "classify", spy)
    return judged


def test_the_headline_of_an_article_in_the_target_language_is_not_sent_to_the_model(
        translator: Callable[..., Translator], lid: LanguageId,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Extract read the body as English and every passage is English: the headline is
    English too, without the identifier (a line of a few words is where it errs)."""
    judged = _spy_model(lid, monkeypatch)
    engine = Recording(upper)
    art = translate(translator(engine), EN_LONG, "Tres detenidos en Sevilla", lang="en")
    assert judged == []
    assert engine.batches == []
    assert art.record["translation"]["title"] == "Tres detenidos en Sevilla"
    assert art.record["translation"]["title_note"] is None
    assert art.record["translation"]["complete"] is True


def test_a_headline_is_judged_by_the_model_when_the_article_is_not_all_in_the_target(
        translator: Callable[..., Translator], lid: LanguageId,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Without extract's reading of the article as English, or with a passage in another
    language, the headline is identified on its own (and translated when it is Spanish)."""
    judged = _spy_model(lid, monkeypatch)
    engine = Recording(upper)
    title = "Tres detenidos en Sevilla por un robo"
    unread = translate(translator(engine), EN_LONG, title)
    mixed = translate(translator(engine), f"{EN_LONG}\n\n{ES}", title, lang="en")
    assert judged.count(title) == 2
    assert unread.record["translation"]["title"] == title.upper()
    assert mixed.record["translation"]["title"] == title.upper()

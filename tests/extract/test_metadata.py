"""Title, dates, authors, site and language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from newsdesk.article import Article
from newsdesk_plugins.extract import dates
from newsdesk_plugins.extract.engine import Extractor, run

from .conftest import make_article

Extract = Callable[..., Article]


def test_reads_russian_meta_lines_with_time(extract: Extract) -> None:
    """Reads "Posted 5 января 2022, 10:42" and "Updated 24 декабря 2022" into published and modified."""
    removed = [{"text": "Posted 5 января 2022,, 10:42", "role": "meta"},
               {"text": "Updated 24 декабря 2022,, 22:37", "role": "meta"}]
    art = extract("Protesters gathered in the city centre on Wednesday morning.", removed=removed)
    assert art.record["published"] == "2022-01-05T10:42"
    assert art.record["modified"] == "2022-12-24T22:37"


def test_reads_german_date_in_german_article(extract: Extract) -> None:
    """Reads "8. Januar 2022" as the 8th of January in a German article."""
    text = "Die Polizei hat am Samstag in Berlin mehrere Demonstranten festgenommen, teilte ein Sprecher mit."
    art = extract(text, removed=[{"text": "Veröffentlicht: 8. Januar 2022", "role": "meta"}])
    assert art.record["lang"] == "de"
    assert art.record["published"] == "2022-01-08"


def test_reads_dotted_numeric_date_day_first() -> None:
    """Reads "03.02.2022" day first (3 February), as written in Russian and German."""
    assert dates.parse_date("03.02.2022", "ru") == "2022-02-03"
    assert dates.parse_date("03.02.2022", "de") == "2022-02-03"


def test_reads_slashed_date_month_first_on_us_site() -> None:
    """Reads "03/02/2022" month first on an English .com site and day first on a .co.uk site."""
    assert dates.parse_date("03/02/2022", "en", "https://example.com") == "2022-03-02"
    assert dates.parse_date("03/02/2022", "en", "https://example.co.uk") == "2022-02-03"


def test_no_date_is_null_not_a_guess(extract: Extract) -> None:
    """Leaves published null when no line carries a date."""
    art = extract("Officials met on Tuesday to discuss the budget for next year.")
    assert art.record["published"] is None
    assert art.record["modified"] is None


def test_a_date_in_the_future_is_dropped_with_a_note(extract: Extract) -> None:
    """Drops a date in the future (or before 1900) and says so in errors."""
    art = extract("The ministry published the report.", removed=[{"text": "Published 3 March 2199", "role": "meta"}])
    assert art.record["published"] is None
    assert any("2199-03-03 is in the future: dropped" in e["message"] for e in art.errors)
    assert dates.flag("1850-01-01") == "before 1900"
    assert dates.flag("2020-01-01", datetime(2021, 1, 1, tzinfo=UTC)) is None


def test_byline_gives_authors(extract: Extract) -> None:
    """Splits a byline "By Anna Berg and Tom Reyes" into two authors."""
    art = extract("The council voted on Monday.", removed=[{"text": "By Anna Berg and Tom Reyes", "role": "byline"}])
    assert art.record["authors"] == ["Anna Berg", "Tom Reyes"]


def test_plain_text_without_clean_takes_first_line_as_title(extractor: Extractor) -> None:
    """Without clean, a plain-text input's first line that is not a meta line is the title."""
    art = make_article("Posted 4 May 2021, 09:15\n\nFloods hit the river valley\n\nWater rose overnight in the valley.")
    run(extractor, art)
    assert art.record["title"] == "Floods hit the river valley"
    assert art.record["published"] == "2021-05-04T09:15"


def test_html_metadata_from_page(extractor: Extractor) -> None:
    """Reads title, author, site and date from an HTML page's meta tags when clean gave no html_meta."""
    html = """<html><head><title>Storm closes port | Coast Herald</title>
    <meta property="og:title" content="Storm closes port">
    <meta property="og:site_name" content="Coast Herald">
    <meta name="author" content="Lena Marsh">
    <meta property="article:published_time" content="2023-06-14T08:30:00+00:00">
    </head><body><article><h1>Storm closes port</h1><p>A storm closed the port of Varna on Tuesday,
    officials said. Ships waited offshore for hours while crews secured the cranes.</p></article></body></html>"""
    art = make_article(html, "html")
    run(extractor, art)
    assert art.record["title"] == "Storm closes port"
    assert art.record["authors"] == ["Lena Marsh"]
    assert art.record["site"] == "Coast Herald"
    assert art.record["published"][:10] == "2023-06-14"


def test_prefers_clean_html_meta(extract: Extract) -> None:
    """Uses clean's html_meta rather than re-reading the page."""
    meta = {"title": "T", "authors": ["Ida Holm"], "date": "2022-01-05", "site": "Nordpost", "url": None}
    art = extract("Body text of the article about the harbour.", title="T", kind="html",
                  content="<html><head><meta name='author' content='Someone Else'></head></html>", html_meta=meta)
    assert art.record["authors"] == ["Ida Holm"]
    assert art.record["site"] == "Nordpost"
    assert art.record["published"] == "2022-01-05"


def test_language_of_each_body(extract: Extract) -> None:
    """Identifies English, Russian and German bodies."""
    assert extract("The government resigned on Wednesday after days of protests.").record["lang"] == "en"
    assert extract("Правительство ушло в отставку в среду после нескольких дней протестов.").record["lang"] == "ru"
    assert extract("Die Regierung ist am Mittwoch nach tagelangen Protesten zurückgetreten.").record["lang"] == "de"


def test_headline_without_site_name_label_or_media_tag() -> None:
    """Drops the site's name, a one-word section label and a "[Watch]" tag from an HTML title."""
    from newsdesk_plugins.extract.meta import choose_title

    page = "<html><body><h1><span>Opinion</span> Ferry fares rise again</h1></body></html>"
    assert choose_title(page, "Ferry fares rise again | Coast Herald", "Coast Herald") == "Ferry fares rise again"
    assert choose_title("<html></html>", "Opinion | Ferry fares rise again | Editorial", None) == "Ferry fares rise again"
    assert choose_title("<html></html>", "Singer returns to the stage [Watch]", None) == "Singer returns to the stage"


def test_authors_drop_site_names_credentials_and_roles() -> None:
    """Keeps bylines and drops the publisher, credentials, job titles and the site-wide meta author."""
    from newsdesk_plugins.extract.meta import clean_authors

    names = ["View all posts by Anna Berg", "Tom Reyes RDN", "Chief Technology Officer", "Coast Herald", "Northwind Media"]
    assert clean_authors(names, ["Coast Herald"], "Northwind Media") == ["Anna Berg", "Tom Reyes"]


def test_meta_lines_and_bylines_in_spanish_italian_polish_and_ukrainian(extract: Extract) -> None:
    """Labelled publication and update lines and bylines are read in es, it, pl and uk."""
    cases = {
        "El ayuntamiento aprobó ayer el nuevo presupuesto para reparar el puerto tras las tormentas.":
            ["Por María López", "Publicado: 5 de enero de 2022, 10:42", "Actualizado el 6 de enero de 2022"],
        "Il consiglio comunale ha approvato ieri il nuovo bilancio per riparare il porto della città.":
            ["di Marco Bianchi", "Pubblicato il 5 gennaio 2022 alle 10:42", "Aggiornato il 6 gennaio 2022"],
        "Rada miasta zatwierdziła wczoraj nowy budżet na naprawę portu po zimowych sztormach.":
            ["Autor: Anna Nowak", "Opublikowano: 5 stycznia 2022, 10:42", "Aktualizacja: 6 stycznia 2022"],
        "Міська рада вчора затвердила новий бюджет на ремонт порту після зимових штормів.":
            ["Автор: Олена Коваль", "Опубліковано: 5 січня 2022, 10:42", "Оновлено 6 січня 2022"],
    }
    for text, lines in cases.items():
        rec = extract(text, removed=[{"text": line, "role": "meta"} for line in lines]).record
        assert (rec["published"], rec["modified"]) == ("2022-01-05T10:42", "2022-01-06"), text
        assert rec["authors"] == [lines[0].split(" ", 1)[1]], text


def test_language_is_named_from_twenty_letters_on_and_not_below() -> None:
    """A text is given a language once it holds twenty letters (digits and signs do not
    count), and none with nineteen."""
    from newsdesk_plugins.extract import language

    nineteen = "Ferry 2023: cut, 99% of the times a"  # 19 letters among digits and signs
    assert sum(ch.isalpha() for ch in nineteen) == 19
    assert language.identify(nineteen) is None
    assert language.identify(nineteen + "e") is not None


def test_a_dateline_opening_the_body_gives_the_published_date(extract: Extract) -> None:
    """"VARNA, 3 December 2026 - ..." at the head of the first paragraph, in the forms the
    wires and papers write it: dash, colon or full stop, an agency in parentheses."""
    rest = " The port reopened on Thursday after two weeks of repairs, the ministry said."
    for opening, iso in [("VARNA, 3 December 2026 -", "2026-12-03"),
                         ("NEW YORK, Dec. 3, 2026 (AP) —", "2026-12-03"),
                         ("Rotterdam, 2 November 2026.", "2026-11-02"),
                         ("Berlin, 3. Dezember 2026 (dpa) -", "2026-12-03")]:
        assert extract(opening + rest).record["published"] == iso, opening


def test_a_dateline_without_a_year_or_a_date_gives_no_published_date(extract: Extract) -> None:
    """A wire dateline without a year ("Dec 3") would be a guess; a name and an age are
    not a dateline."""
    rest = " The port reopened on Thursday after two weeks of repairs, the ministry said."
    for opening in ("VARNA, Dec 3 (Reuters) -", "Smith, 45, said on Monday -"):
        assert extract(opening + rest).record["published"] is None, opening


def test_a_meta_line_date_wins_over_the_dateline(extract: Extract) -> None:
    text = "VARNA, 3 December 2026 - The port reopened on Thursday after two weeks of repairs."
    art = extract(text, removed=[{"text": "Published: 4 December 2026", "role": "meta"}])
    assert art.record["published"] == "2026-12-04"

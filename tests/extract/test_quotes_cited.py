"""Quotations with their speakers, and the sources an article cites."""

from __future__ import annotations

from collections.abc import Callable

from newsdesk.article import Article

Extract = Callable[..., Article]


def test_quote_with_said_after(extract: Extract) -> None:
    """Finds a “…” quote and its speaker named after it ("… ," Seitkali said)."""
    art = extract("Police spokeswoman Dana Seitkali spoke to reporters. “The streets are open again and calm,” Seitkali said.")
    (quote,) = art.record["quotes"]
    assert quote["text"] == "The streets are open again and calm,"
    assert quote["speaker"] == "Dana Seitkali"


def test_guillemets_and_german_quotes(extract: Extract) -> None:
    """Finds «…» and „…“ quotes and resolves the speakers to canonical names."""
    ru = extract("Песков отказался от комментариев. «Это вопрос к правоохранительным органам», – сказал Дмитрий Песков.")
    assert [(q["text"], q["speaker"]) for q in ru.record["quotes"]] == [
        ("Это вопрос к правоохранительным органам", "Dmitry Peskov")]
    de = extract("Bundeskanzler Olaf Scholz sagte: „Wir stehen zusammen für unsere Demokratie.“ Die Polizei war da.")
    assert de.record["quotes"][0]["speaker"] == "Olaf Scholz"


def test_dash_line_with_attribution(extract: Extract) -> None:
    """Reads a dash line ("– …, said X") as a quote by X."""
    text = "Unrest continued.\n\n– Extremist forces tried to storm the buildings overnight, said police spokesman Saltanat Azirbek."
    (quote,) = extract(text).record["quotes"]
    assert quote["text"].startswith("Extremist forces tried")
    assert quote["speaker"] == "Saltanat Azirbek"


def test_attribution_in_next_line(extract: Extract) -> None:
    """Reads a dash line whose attribution is the next line ("– said X")."""
    text = "– We will not leave the square until the prices fall again\n– said protest organiser Marat Bekov.\n"
    (quote,) = extract(text).record["quotes"]
    assert quote["speaker"] == "Marat Bekov"


def test_scare_quotes_are_not_quotations(extract: Extract) -> None:
    """Takes no quotation from a short phrase in quotation marks ("unfriendly" countries)."""
    assert extract('Russia will seize assets of "unfriendly" countries, the decree says.').record["quotes"] == []


def test_cited_agencies_and_outlets(extract: Extract) -> None:
    """Finds agencies cited as sources in English ("according to Reuters", "TASS reported", "the AFP news agency")."""
    text = ("According to Reuters, troops entered the square. TASS reported shots. Police, quoted by Interfax, said "
            "dozens were detained. KazTAG reports looting, the AFP news agency said. The Vlast newspaper wrote that "
            "thousands marched.")
    names = {c["name"] for c in extract(text).record["cited"]}
    assert names == {"Reuters", "TASS", "Interfax", "KazTAG", "Agence France-Presse", "Vlast"}


def test_cited_in_russian_and_german(extract: Extract) -> None:
    """Finds cited sources in inflected Russian ("по данным Интерфакса") and German ("berichtete die dpa")."""
    ru = extract("По данным Интерфакса, самолеты приземлились. Об этом пишет «Фонтанка».")
    assert {c["name"] for c in ru.record["cited"]} == {"Interfax", "Фонтанка"}
    de = extract("Die Feuerwehr evakuierte 200 Bewohner, berichtete die dpa.")
    assert {c["name"] for c in de.record["cited"]} == {"Deutsche Presse-Agentur"}


def test_ministry_is_not_a_cited_outlet(extract: Extract) -> None:
    """Does not count a ministry as a cited news source."""
    text = "According to the Interior Ministry, 40 people were detained."
    assert extract(text).record["cited"] == []


def test_an_outlet_word_closing_a_paragraph_names_no_outlet(extract: Extract) -> None:
    """"reported by the news portal" at the end of a paragraph (the portal's name was a link
    the scraper dropped) does not make the next paragraph's first word a cited source."""
    text = ("Shops on the main avenue were looted overnight. This was reported by the news portal\n\n"
            "Another crowd gathered by the town hall in the morning.")
    assert extract(text).record["cited"] == []


def test_quotes_and_speakers_in_spanish_polish_ukrainian_french_and_italian(extract: Extract) -> None:
    """A quote followed by a verb of speech and a name is attributed in es, pl, uk, fr and it;
    a Polish „…" closed with a straight quote is still one quote."""
    cases = {
        '"No vamos a subir los impuestos este año", dijo el ministro Carlos Cuerpo en Madrid.':
            "Carlos Cuerpo",
        '„Nie podniesiemy podatków w tym roku" – powiedział premier Donald Tusk w Warszawie.':
            "Donald Tusk",
        "«Ми не підвищуватимемо податки цього року», – заявив прем'єр-міністр Денис Шмигаль.":
            "Денис Шмигаль",
        "« Nous n'augmenterons pas les impôts cette année », a déclaré le ministre Bruno Le Maire.":
            "Bruno Le Maire",
        '"Non aumenteremo le tasse quest\'anno", ha detto il ministro Giancarlo Giorgetti a Roma.':
            "Giancarlo Giorgetti",
    }
    for text, speaker in cases.items():
        quotes = extract(text).record["quotes"]
        assert [q["speaker"] for q in quotes] == [speaker], text


def test_cited_agencies_in_spanish_italian_polish_and_ukrainian(extract: Extract) -> None:
    """"según la agencia EFE", "secondo l'ANSA", "jak podaje PAP", "як повідомляє Укрінформ"
    name the agency as the article's source."""
    cases = {
        "Según la agencia EFE, el incendio comenzó de madrugada en el puerto de Valencia.": "EFE",
        "Secondo l'ANSA, il ponte sarà riaperto la prossima settimana dopo i lavori.": "ANSA",
        "Jak podaje PAP, rząd przyjął projekt ustawy o obronie cywilnej we wtorek.": "PAP",
        "Як повідомляє Укрінформ, у Києві відкрили новий міст через Дніпро.": "Ukrinform",
    }
    for text, name in cases.items():
        assert [c["name"] for c in extract(text).record["cited"]] == [name], text

"""Made-up news articles for tests and benchmarks, in several languages.

Every sentence is assembled from templates and word lists written for this
project (nothing is copied from real articles): a headline, then paragraphs
of three to five sentences with names, places, numbers, dates and quotes,
so that the text looks like news to a cleaner, an extractor or a language
identifier. The output is deterministic for a given seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    """The parts one language's articles are made of."""

    headlines: tuple[str, ...]
    sentences: tuple[str, ...]
    people: tuple[str, ...]
    places: tuple[str, ...]
    bodies: tuple[str, ...]
    days: tuple[str, ...]
    things: tuple[str, ...]


EN = Language(
    headlines=(
        "{body} in {place} approves plan for {thing}",
        "{person} warns of delays to {thing} in {place}",
        "Residents of {place} split over {thing}",
    ),
    sentences=(
        "The {body} in {place} voted on {day} to spend {n} million on {thing}.",
        "\"We cannot wait another year,\" {person} told reporters after the meeting.",
        "Work is expected to begin in spring and to last about {m} months.",
        "Critics say the cost has risen by {p} percent since the project was first proposed.",
        "{person}, who has led the {body} since {year}, said the money would come from "
        "the regional budget.",
        "About {n},000 people live near the site, according to figures published on {day}.",
        "Opposition members asked for an independent review of {thing} before any contract "
        "is signed.",
        "The decision follows months of protests outside the offices of the {body}.",
        "Officials in {place} declined to comment on the timetable.",
        "A final vote is scheduled for {day}, {m} weeks from now.",
    ),
    people=("Maria Olsen", "David Kemp", "Aisha Rahman", "Tom Whitaker", "Grace Liu"),
    places=("Leeds", "Cardiff", "Portland", "Halifax", "Adelaide", "Duluth"),
    bodies=("city council", "transport authority", "regional assembly", "school board"),
    days=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"),
    things=("the new tram line", "the harbour bridge", "flood defences", "a public library",
            "the hospital extension"),
)

DE = Language(
    headlines=(
        "{body} in {place} beschließt Plan für {thing}",
        "{person} warnt vor Verzögerungen bei {thing}",
        "Streit in {place} um {thing}",
    ),
    sentences=(
        "Der {body} von {place} hat am {day} beschlossen, {n} Millionen Euro für {thing} "
        "auszugeben.",
        "„Wir können nicht noch ein Jahr warten“, sagte {person} nach der Sitzung.",
        "Die Arbeiten sollen im Frühjahr beginnen und etwa {m} Monate dauern.",
        "Kritiker bemängeln, dass die Kosten seit dem ersten Entwurf um {p} Prozent gestiegen "
        "sind.",
        "{person}, seit {year} im Amt, kündigte an, das Geld komme aus dem Landeshaushalt.",
        "Rund {n}.000 Menschen wohnen in der Nähe der Baustelle, wie am {day} mitgeteilt wurde.",
        "Die Opposition fordert ein unabhängiges Gutachten, bevor Verträge unterschrieben "
        "werden.",
        "Vor dem Rathaus hatten Anwohner wochenlang gegen das Vorhaben demonstriert.",
        "Die Stadtverwaltung von {place} wollte sich zum Zeitplan nicht äußern.",
        "Die endgültige Abstimmung ist für {day} in {m} Wochen angesetzt.",
    ),
    people=("Anna Becker", "Jürgen Hofmann", "Leyla Demir", "Klaus Weber", "Sophie Krüger"),
    places=("Kassel", "Rostock", "Freiburg", "Würzburg", "Erfurt", "Bremen"),
    bodies=("Stadtrat", "Verkehrsverbund", "Kreistag", "Landtag"),
    days=("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"),
    things=("die neue Straßenbahnlinie", "die Hafenbrücke", "den Hochwasserschutz",
            "eine neue Stadtbibliothek", "den Ausbau des Klinikums"),
)

FR = Language(
    headlines=(
        "Le {body} de {place} adopte un plan pour {thing}",
        "{person} met en garde contre des retards pour {thing}",
        "À {place}, les habitants divisés sur {thing}",
    ),
    sentences=(
        "Le {body} de {place} a voté {day} une enveloppe de {n} millions d'euros pour {thing}.",
        "« Nous ne pouvons pas attendre une année de plus », a déclaré {person} à la sortie "
        "de la séance.",
        "Les travaux devraient commencer au printemps et durer environ {m} mois.",
        "Selon les opposants, le coût a augmenté de {p} % depuis la première version du projet.",
        "{person}, en poste depuis {year}, assure que le financement viendra du budget "
        "régional.",
        "Environ {n} 000 personnes vivent à proximité du chantier, selon des chiffres publiés "
        "{day}.",
        "L'opposition réclame une expertise indépendante avant la signature des contrats.",
        "Des riverains manifestent depuis plusieurs semaines devant la mairie.",
        "La préfecture n'a pas souhaité commenter le calendrier.",
        "Un vote définitif est prévu {day}, dans {m} semaines.",
    ),
    people=("Claire Martin", "Julien Moreau", "Nadia Benali", "Pierre Lefèvre", "Élodie Roux"),
    places=("Nantes", "Grenoble", "Rennes", "Metz", "Perpignan", "Amiens"),
    bodies=("conseil municipal", "syndicat des transports", "conseil régional",
            "conseil départemental"),
    days=("lundi", "mardi", "mercredi", "jeudi", "vendredi"),
    things=("la nouvelle ligne de tramway", "le pont du port", "les digues",
            "une médiathèque", "l'extension de l'hôpital"),
)

ES = Language(
    headlines=(
        "El {body} de {place} aprueba un plan para {thing}",
        "{person} advierte de retrasos en {thing}",
        "Vecinos de {place}, divididos por {thing}",
    ),
    sentences=(
        "El {body} de {place} aprobó el {day} destinar {n} millones de euros a {thing}.",
        "«No podemos esperar otro año», dijo {person} al salir de la reunión.",
        "Las obras empezarán en primavera y durarán unos {m} meses.",
        "Los críticos señalan que el coste ha subido un {p} % desde el primer proyecto.",
        "{person}, en el cargo desde {year}, aseguró que el dinero saldrá del presupuesto "
        "regional.",
        "Unas {n}.000 personas viven cerca de las obras, según datos publicados el {day}.",
        "La oposición pide un informe independiente antes de firmar ningún contrato.",
        "Desde hace semanas, los vecinos protestan frente al ayuntamiento.",
        "Fuentes municipales de {place} no quisieron comentar el calendario.",
        "La votación definitiva está prevista para dentro de {m} semanas.",
    ),
    people=("Lucía Fernández", "Javier Ortega", "Carmen Ruiz", "Andrés Molina", "Inés Castro"),
    places=("Zaragoza", "Valladolid", "Córdoba", "Gijón", "Alicante", "Vigo"),
    bodies=("ayuntamiento", "consorcio de transportes", "parlamento regional",
            "consejo escolar"),
    days=("lunes", "martes", "miércoles", "jueves", "viernes"),
    things=("la nueva línea de tranvía", "el puente del puerto", "las defensas contra "
            "inundaciones", "una biblioteca pública", "la ampliación del hospital"),
)

RU = Language(
    headlines=(
        "{body} города {place} утвердил план: {thing}",
        "{person} предупредил о задержках: {thing}",
        "Жители города {place} спорят о проекте: {thing}",
    ),
    sentences=(
        "В {day} {body} города {place} решил выделить {n} миллионов рублей на проект: "
        "{thing}.",
        "«Мы не можем ждать ещё год», — сказал журналистам {person} после заседания.",
        "Работы должны начаться весной и продлиться около {m} месяцев.",
        "По словам критиков, с момента первого обсуждения смета выросла на {p} процентов.",
        "{person}, занимающий свой пост с {year} года, заявил, что деньги выделит область.",
        "Рядом со стройкой живут около {n} тысяч человек, следует из опубликованных данных.",
        "Депутаты от оппозиции требуют независимой экспертизы до подписания контрактов.",
        "Несколько недель подряд местные жители выходили на пикеты у здания администрации.",
        "В мэрии города {place} отказались комментировать сроки.",
        "Окончательное голосование назначено через {m} недель.",
    ),
    people=("Ольга Смирнова", "Сергей Волков", "Айгуль Хасанова", "Дмитрий Орлов",
            "Марина Зайцева"),
    places=("Омск", "Самара", "Томск", "Курск", "Иркутск", "Тверь"),
    bodies=("горсовет", "транспортный комитет", "совет депутатов", "попечительский совет"),
    days=("понедельник", "вторник", "среду", "четверг", "пятницу"),
    things=("новая линия трамвая", "мост через реку", "защита от паводков",
            "новая библиотека", "пристройка к больнице"),
)

#: The languages :func:`make_article_text` writes, by ISO 639-1 code.
LANGUAGES: dict[str, Language] = {"en": EN, "de": DE, "fr": FR, "es": ES, "ru": RU}


def _fill(template: str, lang: Language, rng: random.Random) -> str:
    text = template.format(
        person=rng.choice(lang.people), place=rng.choice(lang.places),
        body=rng.choice(lang.bodies), day=rng.choice(lang.days), thing=rng.choice(lang.things),
        n=rng.randint(2, 480), m=rng.randint(3, 30), p=rng.randint(5, 60),
        year=rng.randint(2009, 2024),
    )
    return text[0].upper() + text[1:]


def make_article_text(size: int, lang: str = "en", seed: int = 0) -> str:
    """Return a made-up news article of at most ``size`` UTF-8 bytes.

    A headline line, a blank line, then paragraphs of three to five sentences
    separated by blank lines; it stops when twenty sentences in a row would
    pass ``size``, so it falls short by about one short sentence at most (at
    least the headline is always there, cut to ``size`` if need be).
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; one of {', '.join(LANGUAGES)}")
    parts = LANGUAGES[lang]
    rng = random.Random(f"{lang}:{seed}")
    headline = _fill(rng.choice(parts.headlines), parts, rng)
    out = headline
    used = len(out.encode("utf-8"))
    if used >= size:
        return out.encode("utf-8")[:size].decode("utf-8", errors="ignore")
    paragraph: list[str] = []
    sep = "\n\n"
    misses = 0
    while misses < 20:
        sentence = _fill(rng.choice(parts.sentences), parts, rng)
        joiner = " " if paragraph else sep
        cost = len((joiner + sentence).encode("utf-8"))
        if used + cost > size:
            misses += 1  # try a shorter sentence before giving up
            continue
        misses = 0
        out += joiner + sentence
        used += cost
        paragraph.append(sentence)
        if len(paragraph) >= rng.randint(3, 5):
            paragraph = []
    return out

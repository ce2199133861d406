"""Realistic made-up news articles for ``newsdesk bench``.

Every sentence is assembled from templates and word lists written for this project
(nothing is copied from real articles): a headline, a dateline, then paragraphs with
people (titles, full names), organisations, places, agencies, numbers (money, percent,
counts, dates) and quotes with attribution, so that clean, extract, translate and index
each do the work a scraped article gives them. Articles are about ``size`` bytes of
UTF-8 and deterministic for a seed; each one is different (slots vary per sentence).
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Kit:
    """One language's parts."""

    headlines: tuple[str, ...]
    sentences: tuple[str, ...]
    quotes: tuple[str, ...]
    said: tuple[str, ...]
    first: tuple[str, ...]
    last: tuple[str, ...]
    offices: tuple[str, ...]
    orgs: tuple[str, ...]
    places: tuple[str, ...]
    agencies: tuple[str, ...]
    days: tuple[str, ...]
    months: tuple[str, ...]
    things: tuple[str, ...]
    open_q: str = "“"
    close_q: str = "”"


EN = Kit(
    headlines=(
        "{org} approves {money} plan for {thing} in {place}",
        "{person} warns of delays to {thing} as costs rise {pct}%",
        "Thousands protest in {place} over {thing}",
        "{place} braces for strikes after talks with {org} collapse",
        "Inquiry into {thing} finds {n} failures, {agency} reports",
    ),
    sentences=(
        "The {org} voted on {day} to spend {money} on {thing}, a decision {person} called overdue.",
        "About {n},{n3} people live within {k} kilometres of the site, according to figures published on {date}.",
        "{person}, the {office}, said the money would come from the regional budget and from a loan of {money}.",
        "Critics say the cost of {thing} has risen by {pct} percent since the project was first proposed in {year}.",
        "Police in {place} said {k} people had been detained and {k2} officers were slightly injured.",
        "According to {agency}, the talks between the {org} and the unions lasted more than {k} hours.",
        "Turnout reached {pct}.{d}% on {day}, the highest since {year}, the electoral commission said.",
        "The {org} has been accused of hiding the true state of {thing} from the public for {k} years.",
        "{person} met the {office} {person2} in {place} on {date} to discuss {thing}.",
        "Prices of fuel and heating rose {pct}% in {month}, while wages grew by only {d}.{d2}%.",
        "Officials in {place} declined to comment on the timetable for {thing}.",
        "The opposition demanded an independent review before any contract worth more than {money} is signed.",
        "Shares of the company fell {d}.{d2}% in {place} after the announcement on {day}.",
        "Residents of {place} told {agency} that they had not been consulted about {thing}.",
        "A final vote is scheduled for {date}, {k} weeks after the committee's report is due.",
        "The {office} {person} resigned on {day}, citing the handling of {thing}.",
        "Some {n} households remained without power in {place} and {place2} on {day} evening.",
        "The budget for {year} foresees a deficit of {d}.{d2}% of GDP, down from {pct}% a year earlier.",
    ),
    quotes=(
        "We cannot wait another {k} years for {thing}",
        "This is not about money, it is about the safety of {n} families in {place}",
        "The {org} has made its decision and we will respect it, but we will keep asking questions",
        "Nobody in {place} was told what {thing} would really cost",
        "We expect the first results by {month}, and we will publish every figure",
    ),
    said=(
        "“{q},” {person} told reporters after the meeting.",
        "“{q},” said {person}, the {office}.",
        "{person}, the {office}, said: “{q}.”",
        "“{q},” {person} wrote on social media on {day}.",
    ),
    first=("Maria", "David", "Aisha", "Tom", "Grace", "Piotr", "Elena", "James", "Fatima",
           "Lars", "Sofia", "Michael", "Hannah", "Kwame", "Yuki", "Robert", "Olga", "Daniel"),
    last=("Olsen", "Kemp", "Rahman", "Whitaker", "Liu", "Nowak", "Petrova", "Garcia",
          "Brennan", "Okafor", "Lindqvist", "Morales", "Fischer", "Tanaka", "Hughes", "Kowalski"),
    offices=("prime minister", "finance minister", "mayor", "interior minister",
             "chief executive", "police spokesman", "head of the central bank", "health minister"),
    orgs=("city council", "transport authority", "regional assembly", "European Commission",
          "central bank", "Ministry of Health", "National Grid", "Supreme Court",
          "World Health Organization", "electoral commission", "port authority"),
    places=("Leeds", "Cardiff", "Warsaw", "Almaty", "Lyon", "Portland", "Halifax", "Adelaide",
            "Gdansk", "Kyiv", "Seville", "Turin", "Hamburg", "Riga", "Tbilisi", "Nairobi"),
    agencies=("Reuters", "the Associated Press", "AFP", "PAP", "dpa", "Bloomberg"),
    days=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    months=("January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December"),
    things=("the new tram line", "the harbour bridge", "flood defences", "a public library",
            "the hospital extension", "the pension reform", "the gas pipeline",
            "the airport expansion", "the water supply", "the wind farm", "school meals",
            "the border crossing", "the metro tunnel", "the steel plant"),
)

DE = Kit(
    headlines=(
        "{org} beschließt Plan für {thing} in {place}",
        "{person} warnt vor Verzögerungen bei {thing}",
        "Tausende demonstrieren in {place} gegen {thing}",
    ),
    sentences=(
        "Der {org} stimmte am {day} dafür, {money} für {thing} auszugeben.",
        "Rund {n}.{n3} Menschen leben im Umkreis von {k} Kilometern, wie am {date} veröffentlichte Zahlen zeigen.",
        "{person}, {office}, sagte, das Geld komme aus dem Landeshaushalt.",
        "Kritiker bemängeln, die Kosten seien seit {year} um {pct} Prozent gestiegen.",
        "Die Polizei in {place} nahm nach eigenen Angaben {k} Personen fest.",
        "Nach Angaben von {agency} dauerten die Gespräche mehr als {k} Stunden.",
        "Die Opposition verlangt eine unabhängige Prüfung, bevor ein Vertrag über {money} unterzeichnet wird.",
        "Die Preise für Heizöl stiegen im {month} um {pct} Prozent, die Löhne nur um {d},{d2} Prozent.",
        "Eine endgültige Abstimmung ist für den {date} angesetzt.",
        "Anwohner in {place} sagten {agency}, sie seien nicht gefragt worden.",
    ),
    quotes=(
        "Wir können nicht noch {k} Jahre auf {thing} warten",
        "Es geht nicht ums Geld, sondern um die Sicherheit von {n} Familien",
        "Niemand in {place} wurde gesagt, was das wirklich kostet",
    ),
    said=("„{q}“, sagte {person} nach der Sitzung.", "{person}, {office}, erklärte: „{q}.“"),
    first=("Anna", "Jonas", "Lena", "Markus", "Sabine", "Thomas", "Katrin", "Stefan"),
    last=("Müller", "Schneider", "Weber", "Hoffmann", "Becker", "Krüger", "Wagner", "Schulz"),
    offices=("die Bürgermeisterin", "der Finanzminister", "die Landrätin", "der Polizeisprecher"),
    orgs=("Stadtrat", "Landtag", "Bundestag", "Verkehrsverbund", "Aufsichtsrat"),
    places=("Hamburg", "Leipzig", "Köln", "Dresden", "Bremen", "Kassel", "Rostock"),
    agencies=("dpa", "Reuters", "AFP"),
    days=("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"),
    months=("Januar", "März", "Mai", "Juli", "September", "November"),
    things=("die neue Straßenbahnlinie", "den Hochwasserschutz", "die Hafenbrücke",
            "das Krankenhaus", "die Rentenreform", "die Gasleitung"),
    open_q="„", close_q="“",
)

PL = Kit(
    headlines=("{org} przyjęła plan budowy {thing} w {place}", "{person} ostrzega przed opóźnieniami"),
    sentences=(
        "Rada przegłosowała w {day} wydatki w wysokości {money} na {thing}.",
        "W promieniu {k} kilometrów mieszka około {n} tys. osób, wynika z danych z {date}.",
        "{person}, {office}, powiedział, że pieniądze pochodzą z budżetu regionu.",
        "Krytycy twierdzą, że koszty wzrosły o {pct} procent od {year} roku.",
        "Policja w {place} zatrzymała {k} osób, podała agencja {agency}.",
        "Opozycja domaga się niezależnej kontroli przed podpisaniem umowy na {money}.",
        "Ceny paliw wzrosły w {month} o {pct} proc., a płace tylko o {d},{d2} proc.",
        "Ostateczne głosowanie zaplanowano na {date}.",
    ),
    quotes=("Nie możemy czekać kolejnych {k} lat", "Tu nie chodzi o pieniądze, tylko o bezpieczeństwo {n} rodzin"),
    said=("„{q}” – powiedział {person} dziennikarzom.", "{person}, {office}, stwierdził: „{q}”."),
    first=("Piotr", "Anna", "Tomasz", "Katarzyna", "Marek", "Agnieszka"),
    last=("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski"),
    offices=("prezydent miasta", "minister finansów", "rzecznik policji"),
    orgs=("Rada Miasta", "Sejm", "Komisja Europejska", "NBP"),
    places=("Gdańsk", "Kraków", "Wrocław", "Poznań", "Lublin"),
    agencies=("PAP", "Reuters"),
    days=("poniedziałek", "wtorek", "środę", "czwartek", "piątek"),
    months=("styczniu", "marcu", "maju", "lipcu", "wrześniu"),
    things=("nowej linii tramwajowej", "mostu", "szpitala", "gazociągu", "portu"),
    open_q="„", close_q="”",
)

RU = Kit(
    headlines=("{org} одобрил план строительства {thing} в городе {place}",
               "{person} предупредил о задержках"),
    sentences=(
        "В {day} {org} проголосовал за выделение {money} на {thing}.",
        "По данным, опубликованным {date}, рядом с объектом живут около {n} тысяч человек.",
        "{person}, {office}, заявил, что деньги поступят из регионального бюджета.",
        "Критики отмечают, что стоимость выросла на {pct} процентов с {year} года.",
        "Полиция в городе {place} задержала {k} человек, сообщает {agency}.",
        "Оппозиция потребовала независимой проверки до подписания контракта на {money}.",
        "Цены на топливо в {month} выросли на {pct}%, а зарплаты только на {d},{d2}%.",
        "Окончательное голосование назначено на {date}.",
    ),
    quotes=("Мы не можем ждать ещё {k} лет", "Речь идёт не о деньгах, а о безопасности {n} семей"),
    said=("«{q}», — сказал {person} журналистам.", "{person}, {office}, заявил: «{q}»."),
    first=("Иван", "Ольга", "Сергей", "Наталья", "Дмитрий", "Елена"),
    last=("Петров", "Иванова", "Смирнов", "Кузнецова", "Соколов", "Попова"),
    offices=("мэр города", "министр финансов", "представитель полиции"),
    orgs=("городской совет", "Госдума", "Центробанк"),
    places=("Казань", "Самара", "Пермь", "Томск", "Омск"),
    agencies=("ТАСС", "Интерфакс", "РИА Новости"),
    days=("понедельник", "вторник", "среду", "четверг", "пятницу"),
    months=("январе", "марте", "мае", "июле", "сентябре"),
    things=("новой линии метро", "моста", "больницы", "газопровода", "порта"),
    open_q="«", close_q="»",
)

UK = Kit(
    headlines=("{org} схвалила план будівництва {thing}", "{person} попередив про затримки"),
    sentences=(
        "У {day} {org} проголосувала за виділення {money} на {thing}.",
        "За даними, оприлюдненими {date}, поруч з об'єктом живуть близько {n} тисяч людей.",
        "{person}, {office}, заявив, що гроші надійдуть з обласного бюджету.",
        "Критики зазначають, що вартість зросла на {pct} відсотків з {year} року.",
        "Поліція в місті {place} затримала {k} осіб, повідомляє {agency}.",
        "Опозиція вимагає незалежної перевірки до підписання контракту на {money}.",
        "Ціни на пальне у {month} зросли на {pct}%, а зарплати лише на {d},{d2}%.",
        "Остаточне голосування призначено на {date}.",
    ),
    quotes=("Ми не можемо чекати ще {k} років", "Йдеться не про гроші, а про безпеку {n} родин"),
    said=("«{q}», — сказав {person} журналістам.", "{person}, {office}, заявив: «{q}»."),
    first=("Олександр", "Оксана", "Андрій", "Наталія", "Богдан", "Ірина"),
    last=("Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Мельник", "Кравчук"),
    offices=("міський голова", "міністр фінансів", "речник поліції"),
    orgs=("міська рада", "Верховна Рада", "Нацбанк"),
    places=("Львів", "Одеса", "Харків", "Дніпро", "Вінниця"),
    agencies=("Укрінформ", "УНІАН", "Reuters"),
    days=("понеділок", "вівторок", "середу", "четвер", "п'ятницю"),
    months=("січні", "березні", "травні", "липні", "вересні"),
    things=("нової лінії метро", "мосту", "лікарні", "газопроводу", "порту"),
    open_q="«", close_q="»",
)

KITS: dict[str, Kit] = {"en": EN, "de": DE, "pl": PL, "ru": RU, "uk": UK}
#: The default mix: mostly English, as a newsroom's English feed with foreign copy.
DEFAULT_MIX = "en=7,de=1,pl=1,ru=0.5,uk=0.5"


def parse_mix(text: str) -> list[tuple[str, float]]:
    """``"en=7,de=1"`` → [("en", 7.0), ("de", 1.0)]; raises ValueError naming the fault."""
    out: list[tuple[str, float]] = []
    for part in text.split(","):
        lang, _, weight = part.strip().partition("=")
        if lang not in KITS:
            raise ValueError(f"--languages: {lang!r} is not one of {', '.join(KITS)}")
        try:
            w = float(weight or 1)
        except ValueError:
            raise ValueError(f"--languages: {part!r} is not LANG=WEIGHT") from None
        if w < 0:
            raise ValueError(f"--languages: {part!r} has a negative weight")
        out.append((lang, w))
    if not out or sum(w for _, w in out) <= 0:
        raise ValueError("--languages: no language with a positive weight")
    return out


def _fill(template: str, kit: Kit, rng: random.Random, quote: str = "") -> str:
    def person() -> str:
        return f"{rng.choice(kit.first)} {rng.choice(kit.last)}"

    slots = {
        "person": person(), "person2": person(), "office": rng.choice(kit.offices),
        "org": rng.choice(kit.orgs), "place": rng.choice(kit.places),
        "place2": rng.choice(kit.places), "agency": rng.choice(kit.agencies),
        "day": rng.choice(kit.days), "month": rng.choice(kit.months),
        "thing": rng.choice(kit.things), "year": str(rng.randint(1995, 2025)),
        "date": f"{rng.randint(1, 28)} {rng.choice(kit.months)}",
        "money": f"€{rng.randint(2, 950)} million" if kit is EN else f"{rng.randint(2, 950)} Mio. €",
        "n": str(rng.randint(2, 99)), "n3": f"{rng.randint(0, 999):03d}",
        "k": str(rng.randint(2, 60)), "k2": str(rng.randint(2, 30)),
        "pct": str(rng.randint(2, 48)), "d": str(rng.randint(0, 9)), "d2": str(rng.randint(0, 9)),
        "q": quote,
    }
    return template.format(**slots)


def make_article(n: int, size: int, rng: random.Random, lang: str = "en") -> bytes:
    """Return article number ``n`` in ``lang``, about ``size`` bytes of UTF-8 text."""
    kit = KITS[lang]
    title = _fill(rng.choice(kit.headlines), kit, rng)
    place = rng.choice(kit.places).upper()
    paras = [title, f"{place}, {rng.randint(1, 28)} {rng.choice(kit.months)} ({rng.choice(kit.agencies)}) – "
             + _fill(rng.choice(kit.sentences), kit, rng)]
    length = sum(len(p.encode()) + 2 for p in paras)
    while length < size:
        sentences = []
        for _ in range(rng.randint(2, 5)):
            if rng.random() < 0.25:
                quote = _fill(rng.choice(kit.quotes), kit, rng)
                sentences.append(_fill(rng.choice(kit.said), kit, rng, quote))
            else:
                sentences.append(_fill(rng.choice(kit.sentences), kit, rng))
        para = " ".join(sentences)
        paras.append(para)
        length += len(para.encode()) + 2
    paras.append(f"(Reporting by {_fill('{person}', kit, rng)}; editing by {_fill('{person}', kit, rng)}) #{n}")
    return "\n\n".join(paras).encode()


def make_articles(count: int, size: int, mix: list[tuple[str, float]],
                  seed: int = 7) -> list[tuple[str, bytes]]:
    """``count`` (file name, bytes) pairs in the languages of ``mix`` (by weight)."""
    rng = random.Random(seed)
    langs = [lang for lang, _ in mix]
    weights = [w for _, w in mix]
    out = []
    for n in range(count):
        lang = rng.choices(langs, weights)[0]
        out.append((f"a{n:07d}-{lang}.txt", make_article(n, size, rng, lang)))
    return out

"""The record's title, dates, authors and site through clean and extract together, as
``newsdesk process`` runs them: extract owns these fields and decides from all evidence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsdesk.app import App, Settings, build_app
from newsdesk.article import Source
from newsdesk.pipeline import read, run_stages

BODY = (
    "<p>The harbour board voted on Tuesday to cut the winter ferry timetable to two crossings a day, "
    "citing falling passenger numbers and the rising cost of fuel.</p>"
    "<p>Islanders who commute to the mainland said the change would add hours to their working day, "
    "and the council asked the board to delay the cut until the spring.</p>"
    "<p>The board said it would review the timetable again in March after a public consultation.</p>"
)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> App:
    work = tmp_path_factory.mktemp("work")
    return build_app(Settings(workdir=str(work), command="process"), role="main")


def record(app: App, name: str, content: str) -> dict[str, Any]:
    data = content.encode()
    source = Source(path=name, name=name, size=len(data), mtime="", received="")
    (article,) = read(app.pm, source, data)
    run_stages(app.pm, article, ("clean", "extract"))
    return article.to_record()


def page(head: str, h1: str = "Harbour board cuts winter ferries") -> str:
    return (f"<html><head>{head}</head><body><nav><a href='/'>Home</a></nav><article>"
            f"<h1>{h1}</h1>{BODY}</article><footer>© Coast Herald</footer></body></html>")


def test_a_pages_title_loses_the_site_name_the_page_names_itself(app: App) -> None:
    head = ("<title>Harbour board cuts winter ferries | Coast Herald</title>"
            "<meta property='og:site_name' content='Coast Herald'>")
    rec = record(app, "ferries.html", page(head))
    assert rec["title"] == "Harbour board cuts winter ferries"
    assert rec["site"] == "Coast Herald"


def test_a_title_keeps_the_curly_quotes_of_the_headline_on_the_page(app: App) -> None:
    head = "<title>Board\u2019s \u2018last word\u2019 on ferries - Coast Herald</title>"
    rec = record(app, "quotes.html", page(head, "Board\u2019s \u2018last word\u2019 on ferries"))
    assert rec["title"] == "Board\u2019s \u2018last word\u2019 on ferries"


def test_clean_lists_the_headline_of_a_text_file_and_extract_makes_it_the_title(app: App) -> None:
    text = ("Harbour board cuts winter ferries\n\nPublished 14 March 2023, 09:15\n\n"
            + "\n\n".join(p.removeprefix("<p>") for p in BODY.split("</p>") if p))
    rec = record(app, "ferries.txt", text)
    assert {"text": "Harbour board cuts winter ferries", "role": "title"} in rec["removed"]
    assert rec["title"] == "Harbour board cuts winter ferries"
    assert rec["published"] == "2023-03-14T09:15"


def test_an_inputs_own_title_is_the_title(app: App, tmp_path: Path) -> None:
    import json

    obj = {"title": "Ferries cut for winter", "html": page("<title>Something else | Coast Herald</title>")}
    rec = record(app, "given.json", json.dumps(obj))
    assert rec["title"] == "Ferries cut for winter"

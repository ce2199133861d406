"""HTML pages: trafilatura's text and metadata, then the same line cleaning."""

from __future__ import annotations

import pytest

from newsdesk_plugins.clean.engine import Cleaner

from .clean_helpers import make_article

PAGE = """<!doctype html><html lang="en"><head>
<title>Bridge to open in spring | The Valley Courier</title>
<meta property="og:title" content="Bridge to open in spring">
<meta property="og:site_name" content="The Valley Courier">
<meta name="author" content="Nora Lind">
<meta property="article:published_time" content="2023-03-14T09:15:00Z">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Bridge to open in spring</h1>
<p>The new bridge over the Elk river will open to traffic in April, three months later than planned, the county said on Tuesday.</p>
<p>Work stopped for six weeks last summer after engineers found cracks in one of the concrete pillars and ordered it rebuilt.</p>
<p>The county expects about 14,000 vehicles a day to use the crossing once the approach roads are finished in the autumn.</p>
<p>Read also</p>
<p>County approves new cycle lanes along the river</p>
</article>
<footer><p>© 2023 The Valley Courier. All rights reserved.</p></footer>
</body></html>"""


def test_page_to_story_and_metadata(cleaner: Cleaner) -> None:
    """Writes the story and what trafilatura found of the page's metadata; the headline is
    evidence (html_meta's title), not a title field clean writes."""
    a = make_article(PAGE, "html", "bridge.html")
    cleaner.clean(a)
    rec = a.record
    assert a.status == "ok", a.errors
    assert "title" not in rec
    assert rec["html_meta"]["title"] == "Bridge to open in spring"
    assert rec["text"].startswith("The new bridge over the Elk river")
    assert "14,000 vehicles" in rec["text"]
    assert "Home" not in rec["text"]
    assert rec["html_meta"]["authors"] == ["Nora Lind"]
    assert rec["html_meta"]["date"] == "2023-03-14"
    assert rec["html_meta"]["site"] == "The Valley Courier"


def test_teaser_surviving_extraction_is_removed(cleaner: Cleaner) -> None:
    """Removes a "Read also" teaser that trafilatura left in the text."""
    a = make_article(PAGE, "html", "bridge.html")
    cleaner.clean(a)
    assert "cycle lanes" not in a.record["text"]
    roles = {r["text"]: r["role"] for r in a.record["removed"]}
    assert roles.get("Read also") == "related"
    assert roles.get("County approves new cycle lanes along the river") == "teaser"


def _page(paragraphs: list[str], extra: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>Ferry timetable changes</title>"
            f"<meta name=\"author\" content=\"Ida Moreau\"></head>"
            f"<body><article><h1>Ferry timetable changes</h1>{body}{extra}</article></body></html>")


LONG_STORY = [
    f"Paragraph {i}: the ferry company said the winter timetable would add an early crossing on weekdays, "
    f"and that the late boat on Sundays would leave half an hour earlier than it does now."
    for i in range(1, 9)
]


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    import trafilatura

    calls: list[bool] = []
    real = trafilatura.bare_extraction

    def spy(*args: object, **kwargs: object) -> object:
        calls.append(bool(kwargs.get("fast")))
        return real(*args, **kwargs)

    monkeypatch.setattr(trafilatura, "bare_extraction", spy)
    return calls


def test_long_page_needs_only_the_quick_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page whose quick pass keeps a long text in paragraphs is not extracted a second time."""
    from newsdesk_plugins.clean.html import extract

    calls = _spy(monkeypatch)
    found = extract(_page(LONG_STORY), None, 1_000_000)
    assert calls == [True]
    assert "Paragraph 8: the ferry company" in found.text
    assert found.meta["authors"] == ["Ida Moreau"]


def test_short_page_gets_the_full_cascade_and_keeps_its_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page whose quick pass keeps little text goes through trafilatura's full cascade;
    the metadata still comes from the page."""
    from newsdesk_plugins.clean.html import QUICK_MIN_CHARS, extract

    calls = _spy(monkeypatch)
    found = extract(_page(LONG_STORY[:2]), None, 1_000_000)
    assert len(found.text) < QUICK_MIN_CHARS
    assert calls == [True, False]
    assert "Paragraph 2: the ferry company" in found.text
    assert found.meta["authors"] == ["Ida Moreau"]
    assert found.meta["title"] == "Ferry timetable changes"


def test_table_dominated_text_gets_the_full_cascade() -> None:
    """A quick-pass body with more tables than paragraphs, or no paragraph text, is doubtful."""
    from lxml import etree

    from newsdesk_plugins.clean.html import QUICK_MIN_CHARS, _doubtful

    class Doc:
        def __init__(self, markup: str) -> None:
            self.body = etree.fromstring(markup)

    long_text = "x" * QUICK_MIN_CHARS
    assert not _doubtful(Doc("<body><p>story</p><p>more</p><table/></body>"), long_text)
    assert _doubtful(Doc("<body><p>story</p><table/><table/></body>"), long_text)
    assert _doubtful(Doc("<body><list><item>only a list</item></list></body>"), long_text)
    assert _doubtful(Doc("<body><p>story</p></body>"), "short")
    assert _doubtful(None, "")

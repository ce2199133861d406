"""HTML pages: trafilatura's text and metadata, then the same line cleaning."""

from __future__ import annotations

from .clean_helpers import make_article
from newsdesk_plugins.clean.engine import Cleaner

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
    """Writes the story, the headline, and what trafilatura found of the page's metadata."""
    a = make_article(PAGE, "html", "bridge.html")
    cleaner.clean(a)
    rec = a.record
    assert a.status == "ok", a.errors
    assert rec["title"] == "Bridge to open in spring"
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

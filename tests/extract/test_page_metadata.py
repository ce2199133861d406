"""Headline and publication date read from an HTML page's own metadata and byline area."""

from __future__ import annotations

from newsdesk_plugins.extract import pagedates
from newsdesk_plugins.extract.engine import Extractor, run
from newsdesk_plugins.extract.meta import choose_title, from_html

from .conftest import make_article

_BODY = "<p>" + "The harbour board met on Tuesday to discuss the new ferry timetable for the islands. " * 6 + "</p>"


def _page(head: str, body: str) -> str:
    return f"<!DOCTYPE html><html lang=\"en\"><head>{head}</head><body>{body}{_BODY}</body></html>"


def test_headline_is_the_h1_the_title_tag_repeats_not_the_social_title() -> None:
    """The <h1> that the page's <title> repeats is the headline, not an og:title rewritten for sharing."""
    page = _page(
        "<title>Ferry timetable cut for winter - Coast Herald</title>"
        '<meta property="og:title" content="Islanders face long waits as boats are cut">',
        "<h1>Ferry timetable cut for winter</h1>",
    )
    assert choose_title(page, "Islanders face long waits as boats are cut", "Coast Herald") == "Ferry timetable cut for winter"


def test_headline_is_the_h1_the_json_ld_headline_repeats() -> None:
    """The <h1> that the JSON-LD headline repeats wins over a different og:title and <title>."""
    page = _page(
        "<title>What the new ferry rules mean</title>"
        '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Harbour board cuts winter ferries"}</script>',
        "<h1><span></span>Harbour board cuts winter ferries</h1>",
    )
    assert choose_title(page, "Why your winter crossing may take longer", "Coast Herald") == "Harbour board cuts winter ferries"


def test_section_labels_are_dropped_from_the_h1_too() -> None:
    """An <h1> carrying the section labels of the metadata title ("Opinion | ... | Editorial") gives the bare headline."""
    page = _page("", "<h1><a href='/opinion/'>Opinion | </a> Keep the winter ferries running | Editorial</h1>")
    assert choose_title(page, "Keep the winter ferries running | Editorial", "Coast Herald") == "Keep the winter ferries running"


def test_h1_with_the_titles_label_run_together_gives_the_bare_headline() -> None:
    """An <h1> reading "Opinion Keep ..." (label and headline run together) gives the headline without the label."""
    page = _page("", "<h1><span>Opinion</span><span>Keep the winter ferries running</span></h1>")
    assert choose_title(page, "Opinion | Keep the winter ferries running", "Coast Herald") == "Keep the winter ferries running"


def test_utc_publication_time_is_read_on_the_pages_own_clock() -> None:
    """A publication time stated in UTC shortly after midnight is the previous day on the page's clock (-05:00)."""
    page = _page(
        '<meta property="article:published_time" content="2023-03-02T03:10:00Z">',
        '<h1>Ferry timetable cut</h1><time datetime="2023-03-01T22:10:00-05:00">March 1</time>',
    )
    assert pagedates.on_page_clock(page, "2023-03-02") == "2023-03-01T22:10-05:00"


def test_utc_time_moves_to_the_zone_of_the_displayed_time() -> None:
    """A UTC publication time moves to the time zone of the same instant as the page displays it (9:10PM, +11:00)."""
    page = _page(
        '<script type="application/ld+json">{"datePublished":"2023-03-01T10:10:00.000Z"}</script>',
        "<h1>Ferry timetable cut</h1><div>March 1, 2023 - 9:10PM</div>",
    )
    assert pagedates.on_page_clock(page, "2023-03-01") == "2023-03-01T21:10+11:00"
    late = page.replace("10:10:00.000Z", "22:10:00.000Z").replace("March 1, 2023 - 9:10PM", "March 2, 2023 - 9:10AM")
    assert pagedates.on_page_clock(late, "2023-03-01") == "2023-03-02T09:10+11:00"


def test_another_day_from_htmldate_is_left_alone() -> None:
    """A day htmldate found that is not the stated instant's UTC day is kept unchanged."""
    page = _page(
        '<meta property="article:published_time" content="2023-03-02T03:10:00Z">',
        '<time datetime="2023-03-01T22:10:00-05:00">March 1</time>',
    )
    assert pagedates.on_page_clock(page, "2022-11-20") == "2022-11-20"


def test_shown_update_date_beside_the_headline_is_the_modification_date() -> None:
    """A date shown under an update label beside the <h1> ("Updated December 26, 2023") is
    the article's modification date, not its publication date."""
    page = _page(
        '<meta property="article:published_time" content="2023-12-22T16:00:00Z">',
        "<h1>Ferry timetable cut</h1><p>By Ann Lee</p><p>Updated <b>December 26, 2023</b> 10:48 AM</p>",
    )
    assert pagedates.shown_dates(page) == {"modified": "2023-12-26"}


def test_shown_publication_and_update_dates_are_told_apart() -> None:
    """With both labels beside the <h1>, each date goes to its own kind."""
    page = _page("", "<h1>Ferry timetable cut</h1><p>Updated: December 26, 2023</p>"
                     "<p>First published: December 22, 2023</p>")
    assert pagedates.shown_dates(page) == {"published": "2023-12-22", "modified": "2023-12-26"}


def test_shown_date_far_below_the_headline_is_not_the_articles() -> None:
    """A labelled date in the page's footer, far from the <h1>, is not taken."""
    page = _page("", "<h1>Ferry timetable cut</h1>" + _BODY * 3 + "<footer>Page Last Updated: Dec 18, 2023</footer>")
    assert pagedates.shown_dates(page) == {}


def test_shown_date_is_read_in_the_pages_language() -> None:
    """German and Russian labels are read ("Veröffentlicht am 3. Februar 2022", "Опубликовано 5 января 2022"),
    and a French page's slashed date is read day first, as the page's language writes it."""
    german = "<html lang='de'><body><h1>Fähre fällt aus</h1><p>Veröffentlicht am 3. Februar 2022</p></body></html>"
    russian = "<html lang='ru'><body><h1>Паром отменён</h1><p>Опубликовано 5 января 2022</p></body></html>"
    assert pagedates.shown_dates(german) == {"published": "2022-02-03"}
    assert pagedates.shown_dates(russian) == {"published": "2022-01-05"}
    french = "<html lang='fr'><body><h1>Le ferry est annulé</h1><p>Publié le 03/02/2022</p></body></html>"
    assert pagedates.shown_dates(french) == {"published": "2022-02-03"}


def test_visible_time_element_beats_head_metadata() -> None:
    """A page's visible <time itemprop="datePublished"> gives the date, not an older date in its head metadata."""
    page = _page(
        '<meta name="article.created" content="2023-12-10 18:00">',
        '<h1>Ferry timetable cut</h1><time itemprop="datePublished" datetime="2023-12-19T15:54+0000">19 Dec</time>',
    )
    assert pagedates.time_published(page) == "2023-12-19T15:54Z"
    assert str(from_html(page)["date"]).startswith("2023-12-19")


def test_html_article_keeps_the_time_of_day(extractor: Extractor) -> None:
    """An HTML article's published value keeps the time of day the page states, on the page's clock."""
    page = _page(
        '<meta property="article:published_time" content="2023-03-02T03:10:00Z">',
        '<h1>Ferry timetable cut</h1><time datetime="2023-03-01T22:10:00-05:00">March 1</time>',
    )
    art = make_article(page, "html")
    run(extractor, art)
    assert art.record["published"] == "2023-03-01T22:10-05:00"


def test_offset_stamps_are_found_in_page_order_without_overlap() -> None:
    """The stamps with an offset are those the whole stamp's expression finds, in order: one
    glued to a date, one after other digits, none where the date before the time is broken."""
    page = ('x2023-03-01T22:10:00-05:00y 12023-03-02T01:00+0100 2023-3-01T09:00+01:00 '
            '2023-03-04T07:15:30.5+05:30T10:00+01:00')
    assert list(pagedates._offset_stamps(page)) == [
        "2023-03-01T22:10:00-05:00", "2023-03-02T01:00+0100", "2023-03-04T07:15:30.5+05:30"]


def test_displayed_times_are_read_in_order_and_a_page_without_a_clock_time_has_none() -> None:
    """Every displayed date with a clock time is read (any case of the month, am/pm), in page
    order; a page with dates but no clock time after a year shows none."""
    from datetime import UTC, datetime

    instant = datetime(2023, 3, 1, 10, 10, tzinfo=UTC)
    page = "<p>DEC. 31, 2022 at 23:00</p><p>xmar 1, 2023 1:00</p><p>March 1, 2023 - 9:10 p.m.</p>"
    minutes = [shift.total_seconds() / 60 for shift in pagedates._shown_offsets(page, instant)]
    assert minutes == [-(59 * 24 * 60 + 11 * 60 + 10), 11 * 60]  # "xmar" opens no month name
    assert list(pagedates._shown_offsets("<p>March 1, 2023</p><p>at 9:10</p>", instant)) == []
    assert list(pagedates._shown_offsets("<p>March 1, 2023 at noon</p>", instant)) == []

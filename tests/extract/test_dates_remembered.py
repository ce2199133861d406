"""Dates read by dateparser are remembered: the same dateline date in many articles is
read once, with the same answer."""

from __future__ import annotations

from typing import Any

import pytest

from newsdesk_plugins.extract import dates


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    import dateparser

    calls: list[str] = []
    real = dateparser.parse

    def parse(text: str, **kwargs: Any) -> Any:
        calls.append(text)
        return real(text, **kwargs)

    dates._parse.cache_clear()
    monkeypatch.setattr(dateparser, "parse", parse)
    yield calls
    dates._parse.cache_clear()


def test_a_date_read_twice_is_parsed_once_with_the_same_answer(counted: list[str]) -> None:
    first = dates.parse_date("3 December 2026", "en")
    assert dates.parse_date("3 December 2026", "en") == first == "2026-12-03"
    assert dates.parse_date("3 December", "en") is None  # no year: nothing, remembered too
    assert dates.parse_date("3 December", "en") is None
    assert counted == ["3 December 2026", "3 December"]


def test_the_reading_depends_on_the_language_and_the_day_month_order(counted: list[str]) -> None:
    assert dates.parse_date("03/02/2022", "en", "https://example.com") == "2022-03-02"
    assert dates.parse_date("03/02/2022", "en", "https://example.de") == "2022-02-03"
    assert dates.parse_date("03/02/2022", "de", "https://example.com") == "2022-02-03"
    assert len(counted) == 3  # month first; day first; day first in German: each read


def test_the_remembered_readings_are_bounded() -> None:
    info = dates._parse.cache_info()
    assert info.maxsize == dates.PARSED_MAX <= 10_000

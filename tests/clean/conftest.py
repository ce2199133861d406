"""Fixtures of the clean plugin's tests."""

from __future__ import annotations

import pytest

from newsdesk_plugins.clean import CleanSettings
from newsdesk_plugins.clean.engine import Cleaner


@pytest.fixture(scope="session")
def cleaner() -> Cleaner:
    """A cleaner with the default settings and no cross-article memory."""
    return Cleaner(CleanSettings(repeat_min_articles=0))

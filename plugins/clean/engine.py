"""The cleaner: one article in, ``text``/``removed`` (and ``html_meta``) out.

The headline clean finds is evidence, not a field it writes: its line is listed in
``removed`` with the role ``title`` and extract, the owner of ``title``, decides."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import structlog

from newsdesk.article import Article
from newsdesk_plugins.clean import html as html_mod
from newsdesk_plugins.clean import lexicon as lexicon_mod
from newsdesk_plugins.clean.lines import Cleaned, Options, clean_lines
from newsdesk_plugins.clean.repeats import SiteMemory, site_of
from newsdesk_plugins.clean.textnorm import repair, split_lines

log = structlog.get_logger("newsdesk.clean")

PLUGIN = "clean"
STAGE = "clean"


class Cleaner:
    """Holds the settings, the lexicon (loaded on first use) and the per-site memory."""

    def __init__(self, settings: Any, lexicon_path: str | None = None,
                 memory_path: Path | None = None, memory_read_only: bool = False) -> None:
        self.settings = settings
        self.lexicon_path = lexicon_path
        self.memory = SiteMemory(settings.repeat_min_articles, path=memory_path, read_only=memory_read_only)
        self.options = Options(penalty=settings.line_penalty)

    def clean_text(
        self,
        text: str,
        *,
        title_hint: str | None = None,
        site: str | None = None,
        trusted: bool = False,
        article_id: str = "",
    ) -> Cleaned:
        """Clean plain text: repair, split into lines, classify them."""
        lex = lexicon_mod.load(self.lexicon_path)
        lines = split_lines(repair(text))
        options = Options(self.options.penalty, trusted, self.options.trusted_factor)
        site_names = (site,) if site else ()
        result = clean_lines(
            lines, lex, title_hint=title_hint, site_names=site_names,
            repeated=self.memory.repeated(site), options=options,
        )
        self.memory.remember(site, article_id, lines, result.keys)
        return result

    def clean(self, article: Article) -> None:
        """Write the clean stage's fields into ``article.record``."""
        record = article.record
        given: dict[str, Any] = record.get("input") or {}
        if not isinstance(given, dict):
            given = {}
        title_hint = given.get("title") if isinstance(given.get("title"), str) else None
        content = article.content
        trusted = False
        meta: dict[str, Any] | None = None
        if article.content_type == "html":
            try:
                found = html_mod.extract(content, given.get("url") if isinstance(given.get("url"), str) else None,
                                         self.settings.max_html_chars,
                                         self.settings.favor_precision)
            except html_mod.HtmlError as exc:
                record.update({"text": "", "removed": []})
                article.add_error(STAGE, PLUGIN, exc)
                return
            if found.cut_from:
                article.add_error(
                    STAGE, PLUGIN,
                    f"the page is {found.cut_from:,} characters; only the first "
                    f"{self.settings.max_html_chars:,} were parsed (raise [clean] max_html_chars to parse more)",
                )
            meta = found.meta
            record["html_meta"] = meta
            content = found.text
            title_hint = title_hint or meta.get("title")
            trusted = meta.get("extractor") == "trafilatura"
        limit = self.settings.max_input_chars
        if len(content) > limit:
            article.add_error(
                STAGE, PLUGIN,
                f"input is {len(content):,} characters; only the first {limit:,} were cleaned "
                "(raise [clean] max_input_chars to clean more)",
            )
            content = content[:limit]
        site = site_of(given.get("site"), given.get("url"), (meta or {}).get("url"), (meta or {}).get("site"))
        result = self.clean_text(content, title_hint=title_hint, site=site, trusted=trusted,
                                 article_id=article.id)
        record["text"] = "\n\n".join(result.paragraphs)
        record["removed"] = result.removed
        if not result.paragraphs:
            kept = len(result.removed)
            article.add_error(
                STAGE, PLUGIN,
                f"nothing left after cleaning: all {kept} line(s) were removed as junk"
                if kept else "nothing left after cleaning: the input has no text",
            )

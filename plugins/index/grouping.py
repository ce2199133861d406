"""Deciding ``duplicate_of`` and ``story`` for an article, and remembering it.

An article seen before (the same id: processed again after a crash, or
reindexed) gets the answer it got the first time, so the record, the index and
the state agree whatever order things are replayed in.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import structlog

from newsdesk_plugins.index import documents
from newsdesk_plugins.index.duplicates import NearDuplicates, digest, jaccard, signature, words
from newsdesk_plugins.index.state import ArticleRow, NameRow, State, name_rows
from newsdesk_plugins.index.stories import DAY, Counts, Stories, article_counts

log = structlog.get_logger("newsdesk.index")


def story_id(first: str) -> str:
    """The id of a story started by article ``first``: stable, whatever the id looks like."""
    return "st-" + hashlib.blake2b(first.encode("utf-8"), digest_size=8).hexdigest()


@dataclass(frozen=True)
class GroupSettings:
    duplicate_threshold: float
    num_perm: int
    shingle_words: int
    min_words: int
    duplicate_days: float
    story_window_days: float
    story_threshold: float


@dataclass(frozen=True)
class Prepared:
    """An article's features that do not depend on the other articles, computed in the
    worker (``prepare.py``) so that the daemon's single index thread only decides."""

    #: (num_perm, shingle_words, min_words) they were computed with.
    made_with: tuple[int, int, int]
    digest: str
    #: The MinHash signature's bytes (None: too short a text).
    minhash: bytes | None
    counts: Counts
    #: The rows of its entities' written forms (:func:`state.name_rows`).
    names: tuple[NameRow, ...] = ()


def prepare(record: dict[str, Any], stop: frozenset[str],
            made_with: tuple[int, int, int]) -> Prepared:
    """``Prepared`` features of a finished record (what ``Grouper.decide`` would compute;
    ``made_with``: num_perm, shingle_words, min_words)."""
    text = documents.text_of(record)
    ws = words(text)
    sig = signature(text, *made_with, ws) if text else None
    en_title, en_text = documents.english(record)
    counts = article_counts(documents.title_of(record), en_title, en_text,
                            documents.entity_names(record), text, stop)
    return Prepared(made_with, digest(text, ws) if text.strip() else "", sig, counts,
                    tuple(name_rows(documents.entity_forms(record))))


@dataclass(frozen=True)
class Decision:
    duplicate_of: str
    story: str
    #: The article had no publication date: its story was chosen by content alone.
    date_uncertain: bool = False


class Grouper:
    """Exact and near duplicates, and stories, over the articles so far."""

    def __init__(self, state_file: Path, settings: GroupSettings) -> None:
        self.settings = settings
        self.state = State(state_file)
        self.near = NearDuplicates(settings.duplicate_threshold, settings.num_perm,
                                   settings.shingle_words, settings.min_words)
        self.stories = Stories(settings.story_window_days, settings.story_threshold)
        self._load()

    def _load(self) -> None:
        newest = self.state.newest()
        if newest is None:
            return
        since = newest - max(self.settings.duplicate_days, 2 * self.settings.story_window_days) * DAY
        n = 0
        for row in self.state.articles_since(since):
            if row.minhash and row.t >= newest - self.settings.duplicate_days * DAY:
                self.near.add(row.id, row.minhash)
            self.stories.df.update(row.terms.keys())
            self.stories.docs += 1
            n += 1
        for story in self.state.stories_since(newest - 2 * self.settings.story_window_days * DAY):
            self.stories.load(story)
        log.debug("index state loaded", articles=n, stories=len(self.stories.live))

    def close(self) -> None:
        self.state.commit()
        self.state.close()

    def decide(self, rid: str, record: dict[str, Any], received: str | None = None,
               keep: Decision | None = None, commit: bool = True,
               prepared: Prepared | None = None) -> Decision:
        """The article's duplicate_of and story (``keep``: adopt these, as reindex does;
        ``prepared``: its per-article features computed in the worker, when they were
        made with these settings, else they are computed here)."""
        known = self.state.article(rid)
        if known is not None:
            return Decision(known.duplicate_of, known.story, known.uncertain)
        # The article's own date only: the time its file arrived says nothing about
        # the event (an archive processed today is not today's news).
        moment = documents.parse_time(record.get("published"))
        uncertain = moment is None
        if moment is not None:
            t = moment.timestamp()
        else:
            arrived = documents.parse_time(received)
            t = self.stories.newest or (arrived.timestamp() if arrived else 0.0)
        text = documents.text_of(record)
        lang = record.get("lang") if isinstance(record.get("lang"), str) else ""
        title = documents.title_of(record)
        names: tuple[NameRow, ...] | None = None
        if prepared is not None and prepared.made_with == self.prepared_with:
            names = prepared.names
            dig = prepared.digest
            sig = prepared.minhash
            counts: Counts | None = prepared.counts
        else:
            dig, sig = self._digest_and_signature(text)
            counts = None

        original = ""
        if keep is not None:
            original = keep.duplicate_of
        else:
            if dig:
                same = self.state.by_digest(dig)
                if same is not None:
                    original = same.duplicate_of or same.id
            if not original and sig is not None:
                original = self._near(sig, lang or "")
        en_title, en_text = documents.english(record)
        feats = self.stories.features(t, title, en_title, en_text,
                                      documents.entity_names(record), text, counts)
        story = ""
        if keep is not None and keep.story:
            story = keep.story
        elif original:
            prior = self.state.article(original)
            story = prior.story if prior else ""
        if keep is not None and keep.date_uncertain:
            uncertain = True
        feats.undated = uncertain
        if not story:
            # Without a date, any story may be the article's: it is matched by content.
            best = self.stories.best(feats, anytime=uncertain)
            if best is None and not uncertain:
                # A date before a story's first articles that the article fits well is
                # taken for a stray date: the neighbours say when the event was.
                best = self.stories.best_before(feats)
                uncertain = feats.undated = best is not None
            if best is not None and uncertain:
                feats.t = self.stories.live[best[0]].row.last  # keeps the story's span
            story = best[0] if best else story_id(rid)
        if story not in self.stories.live:
            row = self.state.story(story)
            if row is not None:
                self.stories.load(row)
        srow = self.stories.join(story, story, feats)
        self.stories.count_terms(feats)
        if sig is not None:
            self.near.add(rid, sig)
        self.state.put_article(ArticleRow(
            id=rid, t=feats.t, lang=lang or "", digest=dig, duplicate_of=original, story=story,
            title=feats.title, entities=documents.entity_mentions(record),
            terms=feats.terms, minhash=sig,
            uncertain=uncertain))
        self.state.put_story(srow)
        if names is not None:
            self.state.put_name_rows(names)
        else:
            self.state.put_names(documents.entity_forms(record))
        if commit:
            self.state.commit()
        if self.stories.docs % 1000 == 0:
            self.stories.expire()
        return Decision(original, story, uncertain)

    @property
    def prepared_with(self) -> tuple[int, int, int]:
        """The settings prepared features must have been made with to be used here."""
        return (self.settings.num_perm, self.settings.shingle_words, self.settings.min_words)

    def _digest_and_signature(self, text: str) -> tuple[str, bytes | None]:
        ws = words(text)  # split once for both
        dig = digest(text, ws) if text.strip() else ""
        sig = self.near.signature(text, ws) if text else None
        return dig, sig

    def _near(self, sig: bytes, lang: str) -> str:
        best, best_j = "", 0.0
        for cand in self.near.candidates(sig):
            found = self.state.minhash(cand)
            if found is None or found[1] is None or found[0] != lang:
                continue
            j = jaccard(sig, found[1])
            if j >= self.settings.duplicate_threshold and j > best_j:
                best, best_j = cand, j
        if not best:
            return ""
        row = self.state.article(best)
        return (row.duplicate_of or row.id) if row else best

    def forget(self, ids: set[str]) -> None:
        """Drop articles the stream does not hold (indexed, then the daemon was killed
        before writing them): they are decided afresh when they come again."""
        if ids:
            self.state.forget(ids)
            self.state.commit()

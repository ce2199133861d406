"""The article as it moves through the pipeline, and the record it becomes.

Plugins meet only here: a stage reads the fields earlier stages wrote into
``article.record`` and adds its own. Nothing else is shared between plugins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from newsdesk import SCHEMA
from newsdesk.identity import content_id
from newsdesk.limits import cap_fields, serialise_or_drop
from newsdesk.output import dumps

__all__ = ["Article", "Source", "content_id", "now_iso"]

Status = Literal["ok", "partial", "failed"]
ContentType = Literal["text", "html"]

#: Keys the framework owns in every record. Stage plugins own the rest
#: (each stage issue names its fields); third-party plugins write under a key
#: named after themselves.
FRAMEWORK_KEYS = ("schema", "id", "source", "status", "errors", "timings_ms")




def now_iso() -> str:
    """Return the current UTC time as ISO 8601 with milliseconds."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# No slots on the types that cross process boundaries: a slotted dataclass pickles
# through Python-level __getstate__/__setstate__, five times slower.
@dataclass(frozen=True)
class Source:
    """Where an article came from: the file as it was when it was taken."""

    path: str
    name: str
    size: int
    mtime: str
    received: str
    #: For a file that holds many articles (.jsonl), the 1-based line number.
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path,
            "name": self.name,
            "size": self.size,
            "mtime": self.mtime,
            "received": self.received,
        }
        if self.line is not None:
            out["line"] = self.line
        return out


@dataclass
class Article:
    """One article in flight.

    ``content`` is the decoded input (plain text, or HTML markup when
    ``content_type`` is ``"html"``); ``record`` is what will be written out.
    Readers may put what an input told about itself (a JSON object's title or
    url, say) into ``record["input"]``.
    """

    source: Source
    content: str
    #: Set by the framework after reading (:mod:`newsdesk.identity`); a reader's value
    #: is replaced.
    id: str = field(default="", kw_only=True)
    content_type: ContentType = "text"
    encoding: str = "utf-8"
    record: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    failed: bool = False
    #: Which plugin first wrote each top-level field of ``record`` (named in the notes
    #: of :mod:`newsdesk.limits` when a field is cut or dropped).
    writers: dict[str, str] = field(default_factory=dict)
    #: What plugins computed in the worker for their main-process stage
    #: (``newsdesk_index_prepare``), by the plugin's own key; never written.
    prepared: dict[str, Any] = field(default_factory=dict)

    def add_error(self, stage: str, plugin: str, error: BaseException | str) -> None:
        """Record that ``plugin`` could not do its part of ``stage``.

        The article goes on (status "partial") unless :meth:`fail` is called.
        """
        if isinstance(error, BaseException):
            kind, message = type(error).__name__, str(error) or type(error).__name__
        else:
            kind, message = "Error", error
        self.errors.append({"stage": stage, "plugin": plugin, "type": kind, "message": message})

    def fail(self, stage: str, plugin: str, error: BaseException | str) -> None:
        """Record an error that makes the whole article fail: later stages are skipped."""
        self.add_error(stage, plugin, error)
        self.failed = True

    @property
    def status(self) -> Status:
        if self.failed:
            return "failed"
        return "partial" if self.errors else "ok"

    def to_record(self) -> dict[str, Any]:
        """Return the finished record: framework keys around the stages' fields.

        Fields from the input are capped and values JSON cannot hold are dropped,
        each with a note in ``errors`` (see :mod:`newsdesk.limits`): a record can
        always be written.
        """
        return self.record_and_line()[0]

    def record_and_line(self) -> tuple[dict[str, Any], bytes]:
        """The finished record (:meth:`to_record`) and the same record as a JSON line
        (``newsdesk.output.dumps``), serialised once: the check that JSON can hold the
        record is its serialisation."""
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "id": self.id,
            "source": self.source.as_dict(),
            "status": self.status,
        }
        for key, value in self.record.items():
            if key not in FRAMEWORK_KEYS:
                out[key] = value
        notes = cap_fields(out, self.writers)
        out["errors"] = list(self.errors)
        out["timings_ms"] = {k: round(v, 3) for k, v in self.timings_ms.items()}
        line, dropped = serialise_or_drop(out, FRAMEWORK_KEYS, self.writers)
        notes += dropped
        if notes:
            out["errors"] = out["errors"] + notes
            if out["status"] == "ok":
                out["status"] = "partial"
        if list(out)[:4] != list(FRAMEWORK_KEYS[:4]):  # a framework field was repaired
            out = {k: out[k] for k in dict.fromkeys([*FRAMEWORK_KEYS[:4], *out]) if k in out}
        if line is None or notes:  # changed since it was serialised
            line = dumps(out)
        return out, line


def snapshot(article: Article) -> dict[str, int]:
    """The identity of each value of the record (to see which fields a plugin set)."""
    return {key: id(value) for key, value in article.record.items()}


def note_writers(article: Article, plugin: str, before: dict[str, int]) -> None:
    """Remember ``plugin`` as the writer of the record's fields it set or replaced."""
    for key, value in article.record.items():
        if before.get(key) != id(value):
            article.writers[key] = plugin

"""What a record may hold: length caps on the fields that come from the input, and
only values JSON can hold.

Applied by :meth:`newsdesk.article.Article.to_record`, the one place every record
is made, so that no input and no plugin can make a record that blocks the stream
(a set or bytes that cannot be serialised) or that is unreasonably large (a
34 MB line copied into a title). What is cut or dropped is said in ``errors``,
naming the field and the plugin that wrote it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from newsdesk.output import dumps

#: Characters at most in a field of this name, wherever it is in the record (a
#: translation's title is capped like the title). Body text is not capped here: its
#: size is bounded by ``daemon.max_file_mb``.
CAPS: dict[str, int] = {
    "title": 500,
    "headline": 500,
    "site": 200,
    "lang": 35,
    "url": 2048,
    "published": 64,
    "modified": 64,
    "name": 300,
}
#: Characters at most in each string of a list of this name.
ITEM_CAPS: dict[str, int] = {"authors": 200}

Note = dict[str, str]


def cap_fields(record: dict[str, Any], writers: Mapping[str, str]) -> list[Note]:
    """Cut over-long strings in ``record`` in place; return one note per field cut."""
    notes: list[Note] = []
    for key in list(record):
        record[key] = _cap(record[key], str(key), str(key), writers.get(key, "?"), notes)
    return notes


def _cap(value: Any, name: str, path: str, plugin: str, notes: list[Note]) -> Any:
    if isinstance(value, str):
        limit = CAPS.get(name)
        if limit is not None and len(value) > limit:
            notes.append(_note(plugin, "FieldTooLong",
                               f"{path} had {len(value)} characters; cut to {limit}"))
            return value[:limit]
        return value
    if isinstance(value, dict):
        for key in list(value):
            value[key] = _cap(value[key], str(key), f"{path}.{key}", plugin, notes)
        return value
    if isinstance(value, list) and name in ITEM_CAPS:
        limit = ITEM_CAPS[name]
        out = []
        for n, item in enumerate(value):
            if isinstance(item, str) and len(item) > limit:
                notes.append(_note(plugin, "FieldTooLong",
                                   f"{path}[{n}] had {len(item)} characters; cut to {limit}"))
                item = item[:limit]
            out.append(item)
        return out
    return value  # other lists (entities, segments) are the plugins' own structures


def serialise_or_drop(record: dict[str, Any], keep: tuple[str, ...],
                      writers: Mapping[str, str]) -> tuple[bytes | None, list[Note]]:
    """``record`` as a JSON line (:func:`newsdesk.output.dumps`, what the sinks write) when
    JSON can hold all of it, and no notes. Else None, and the fields of ``record`` JSON
    cannot hold (a set, bytes, a string that is not Unicode text, a number too large) are
    removed, the ``keep`` fields repaired instead, with one note per field. Trying to
    serialise the record is the check, so a record that passes it is serialised once."""
    try:
        return dumps(record), []
    except TypeError:
        pass
    notes: list[Note] = []
    for key in list(record):
        try:
            orjson.dumps({key: record[key]} if isinstance(key, str) else None)
            if isinstance(key, str):
                continue
        except TypeError as exc:
            reason = str(exc)
        else:
            reason = f"the key {key!r} is not a string"
        value = record.pop(key)
        if key in keep:
            record[key] = _repair(value)
            continue
        plugin = writers.get(key, key if isinstance(key, str) else "?")
        notes.append(_note(plugin, "UnserialisableValue",
                           f"field {key!r} holds a value JSON cannot hold "
                           f"({type(value).__name__}: {reason}); dropped"))
    return None, notes


def _repair(value: Any) -> Any:
    """A framework field made serialisable: strings that are not valid Unicode are
    escaped, values of other types are written as their repr."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {str(k): _repair(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_repair(v) for v in value]
    if value is None or isinstance(value, bool | float):
        return value
    if isinstance(value, int) and -(2**63) <= value < 2**64:
        return value
    return repr(value)


def _note(plugin: str, kind: str, message: str) -> Note:
    return {"stage": "output", "plugin": plugin, "type": kind, "message": message}

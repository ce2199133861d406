"""Writing configuration back out as TOML (for ``newsdesk config``)."""

from __future__ import annotations

from typing import Any

import orjson


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return orjson.dumps(value).decode()  # a JSON string is a valid TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    if value is None:
        raise ValueError("TOML has no null")
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _key(key: str) -> str:
    bare = key.replace("_", "").replace("-", "").isalnum() and key.isascii()
    return key if bare else orjson.dumps(key).decode()


def render(sections: dict[str, dict[str, Any]]) -> str:
    """Return ``sections`` as TOML text; keys whose value is None are left out."""
    out: list[str] = []
    for name, values in sections.items():
        out.append(f"[{_key(name)}]")
        for key, value in values.items():
            if value is not None:
                out.append(f"{_key(key)} = {_value(value)}")
        out.append("")
    return "\n".join(out)

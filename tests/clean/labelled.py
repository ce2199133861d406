"""The labelled set: scraped-style articles written for these tests, each line tagged.

A file holds one article. A line that starts with ``[role]`` is junk the
cleaner must remove with that role (``[caption+credit]``: a caption with its
credit glued on, removed as two entries); ``[title]`` is the headline; every
other non-empty line is story the cleaner must keep, in order. The input the
cleaner sees is the file with the tags taken off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from newsdesk_plugins.clean.engine import Cleaner
from newsdesk_plugins.clean.textnorm import normalise_line, repair

_TAG = re.compile(r"^\[([a-z+]+)\] ?")


@dataclass
class Case:
    name: str
    text: str
    story: list[str]
    roles: list[str]
    title: str | None


def load_case(path: Path) -> Case:
    raw_lines = path.read_text("utf-8").splitlines()
    text_lines: list[str] = []
    story: list[str] = []
    roles: list[str] = []
    title = None
    for line in raw_lines:
        m = _TAG.match(line)
        if m:
            body = line[m.end():]
            text_lines.append(body)
            for role in m.group(1).split("+"):
                roles.append(role)
            if m.group(1) == "title":
                title = normalise_line(repair(body))
        else:
            text_lines.append(line)
            if line.strip():
                story.append(normalise_line(repair(line)))
    return Case(path.stem, "\n".join(text_lines) + "\n", story, roles, title)


def load_labelled(folder: Path) -> list[Case]:
    return [load_case(p) for p in sorted(folder.glob("*.txt"))]


def check(cleaner: Cleaner, case: Case) -> list[str]:
    """Return what the cleaner got wrong on ``case`` (empty when all is right)."""
    result = cleaner.clean_text(case.text)
    problems = []
    kept = result.paragraphs
    for line in case.story:
        if line not in kept:
            problems.append(f"story line lost: {line[:60]!r}")
    for line in kept:
        if line not in case.story:
            problems.append(f"junk kept: {line[:60]!r}")
    got_roles = [r["role"] for r in result.removed]
    if got_roles != case.roles:
        problems.append(f"roles {got_roles} != expected {case.roles}")
    if case.title is not None and result.title != case.title:
        problems.append(f"title {result.title!r} != {case.title!r}")
    return problems

"""Every hook in core/hookspecs.py is documented and tested (its page in docs/hooks.md is
checked by tests/docs/test_hooks_doc.py)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from newsdesk import hookspecs

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
HOOKS = sorted(
    name for name, obj in vars(hookspecs).items()
    if name.startswith("newsdesk_") and hasattr(obj, "newsdesk_spec")
)


def test_the_hook_list_is_not_empty() -> None:
    """The specs are found (so the checks below cannot pass vacuously)."""
    assert {"newsdesk_read", "newsdesk_clean", "newsdesk_write"} <= set(HOOKS)
    assert len(HOOKS) >= 12


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_docstring_saying_how_results_combine(hook: str) -> None:
    """Each hook spec has a docstring that says whether the first result wins or every
    implementation is called."""
    doc = " ".join((inspect.getdoc(getattr(hookspecs, hook)) or "").split())
    assert len(doc) > 60, f"{hook} has no real docstring"
    assert re.search(r"first result wins|every implementation is called", doc, re.I), doc


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_says_which_processes_it_runs_in(hook: str) -> None:
    """Each hook has a ``RUNS_IN`` entry and its docstring's "Runs in:" line names the
    same places."""
    places = hookspecs.RUNS_IN[hook]
    assert places and set(places) <= set(hookspecs.PLACES)
    doc = inspect.getdoc(getattr(hookspecs, hook)) or ""
    line = next((x for x in doc.splitlines() if x.startswith("Runs in: ")), "")
    named = set(re.findall(r"\b(main|worker|executor|driver)\b", line))
    assert named == set(places), f"{hook}: {line!r} against RUNS_IN {places}"


def _test_sources() -> dict[Path, str]:
    return {
        path: path.read_text(encoding="utf-8")
        for path in TESTS.rglob("test_*.py")
        if path.resolve() != Path(__file__).resolve()
    }


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_test_that_names_it(hook: str) -> None:
    """Each hook's name appears in a test file other than this one."""
    pattern = re.compile(rf"\b{hook}\b")
    assert any(pattern.search(text) for text in _test_sources().values()), (
        f"no test under {TESTS} names {hook}"
    )

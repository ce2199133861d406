"""docs/hooks.md is checked against core/hookspecs.py: one section and one example per
hook, no section for a hook that does not exist."""

from __future__ import annotations

import re

import pytest

from newsdesk import hookspecs
from tests.docs.pages import page, python_blocks

HOOKS = sorted(
    name for name, obj in vars(hookspecs).items()
    if name.startswith("newsdesk_") and hasattr(obj, "newsdesk_spec")
)


def sections() -> dict[str, str]:
    parts = re.split(r"^### `(newsdesk_\w+)`\n", page("hooks.md"), flags=re.M)
    return {parts[i]: re.split(r"^##? ", parts[i + 1], flags=re.M)[0]
            for i in range(1, len(parts), 2)}


def test_the_hook_reference_has_a_section_for_each_hook_and_no_other() -> None:
    assert len(HOOKS) >= 12
    assert sorted(sections()) == HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_each_hook_section_has_an_example_implementing_that_hook(hook: str) -> None:
    blocks = python_blocks(sections()[hook])
    assert blocks, f"no example for {hook}"
    assert any(re.search(rf"def {hook}\(", b) for b in blocks), f"the example does not implement {hook}"

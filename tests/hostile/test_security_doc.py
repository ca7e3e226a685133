"""docs/security.md names the tests that hold each threat: every one must exist."""

from __future__ import annotations

import ast
import re

from tests.conftest import ROOT

DOC = ROOT / "docs" / "security.md"
REF = re.compile(r"(tests/[\w/]+\.py)?::(test_\w+)")


def _tests(path: str) -> set[str]:
    tree = ast.parse((ROOT / path).read_text())
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}


def test_every_test_named_in_the_threat_model_exists() -> None:
    current = None
    named = []
    for file, name in REF.findall(DOC.read_text()):
        current = file or current
        assert current is not None, name
        named.append((current, name))
    assert len(named) > 40
    missing = [f"{f}::{n}" for f, n in named if n not in _tests(f)]
    assert missing == []

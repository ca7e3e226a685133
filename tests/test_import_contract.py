"""Every core module is under the import-linter contract that keeps Qt out of the core."""

from __future__ import annotations

import tomllib

from tests.conftest import ROOT


def test_contract_lists_every_core_module() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    [contract] = config["tool"]["importlinter"]["contracts"]
    listed = set(contract["source_modules"])
    core = ROOT / "otio_plugins"
    modules = {p.stem for p in core.glob("*.py") if p.stem != "__init__"}
    modules |= {p.name for p in core.iterdir() if (p / "__init__.py").is_file()}
    assert {f"aiclear.{m}" for m in modules} | {"aiclear.adapters"} == listed
    assert {"aiclear.gui", "PySide6"} <= set(contract["forbidden_modules"])

"""Adapters reach the core through its front door (`core/__init__.py`) and nowhere else."""

from __future__ import annotations

import ast
from pathlib import Path

import core

ROOT = Path(__file__).resolve().parent.parent
# The fake servers and the demo are leaving adapters/ for sandbox/, where tests' rules apply.
NOT_ADAPTERS = ("fakes", "demo")


def core_imports(path: Path) -> list[str]:
    """Every `core.<something>` an adapter module imports, at its top or inside a function."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.startswith("core.")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.startswith("core."):
                found.append(node.module)
            elif node.module == "core":
                found += [
                    f"core.{alias.name}" for alias in node.names if alias.name not in core.__all__
                ]
    return found


def adapter_modules() -> list[Path]:
    return [
        path
        for path in sorted((ROOT / "adapters").rglob("*.py"))
        if not set(path.relative_to(ROOT / "adapters").parts) & set(NOT_ADAPTERS)
    ]


def test_adapters_import_only_what_the_core_exports_from_its_front_door() -> None:
    reaching_in = {
        str(path.relative_to(ROOT)): imports
        for path in adapter_modules()
        if (imports := core_imports(path))
    }
    assert reaching_in == {}


def test_the_walk_sees_imports_inside_functions(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from core.storage.db import Database\n    import core.app\n")
    assert core_imports(module) == ["core.storage.db", "core.app"]


def test_every_name_the_front_door_lists_is_there() -> None:
    missing = [name for name in core.__all__ if getattr(core, name, None) is None]
    assert missing == []


def test_the_facade_keeps_its_database_clock_and_settings_to_itself(gather: core.Gather) -> None:
    assert [name for name in ("database", "clock", "settings") if hasattr(gather, name)] == []
    assert gather.now().tzinfo is not None

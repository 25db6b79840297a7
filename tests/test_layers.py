"""The layers of the project hold: `cases`, the core, imports none of the apps built on it,
and no import inside a function crosses from one app into another (such an import hides a
dependency that plug-in points, opiekun/core/plugins.py, exist to express)."""

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "opiekun"
# What cases may import: the apps below it (docs/architecture.md).
CASES_MAY_IMPORT = {"cases", "core", "accounts", "customers", "sla", "api"}


def app_of(module: str) -> str | None:
    """`opiekun.channels.email.inbound` → "channels.email"; None outside the project."""
    parts = module.split(".")
    if parts[0] != "opiekun" or len(parts) < 2:
        return None
    if parts[1] == "channels" and len(parts) > 2:
        return f"channels.{parts[2]}"
    return parts[1]


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE.parent).with_suffix("")
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        found.append((".".join(relative.parts), path))
    return found


def imports(path: Path) -> list[tuple[str, bool]]:
    """(imported module, whether the import is inside a function) for project imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, *, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = nested or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.ImportFrom) and child.module:
                found.append((child.module, inside))
            elif isinstance(child, ast.Import):
                found.extend((alias.name, inside) for alias in child.names)
            visit(child, nested=inside)

    visit(tree, nested=False)
    return [(module, inside) for module, inside in found if module.startswith("opiekun")]


MODULES = modules()


def test_the_checks_see_the_project() -> None:
    names = {name for name, _path in MODULES}
    assert {"opiekun.cases.services", "opiekun.channels.email.inbound"} <= names


@pytest.mark.parametrize(
    ("name", "path"), [item for item in MODULES if app_of(item[0]) == "cases"], ids=str
)
def test_cases_imports_only_the_apps_below_it(name: str, path: Path) -> None:
    above = sorted(
        module for module, _inside in imports(path) if app_of(module) not in CASES_MAY_IMPORT
    )
    assert above == []


@pytest.mark.parametrize(("name", "path"), MODULES, ids=str)
def test_no_import_inside_a_function_crosses_apps(name: str, path: Path) -> None:
    own = app_of(name)
    crossing = sorted(
        module for module, inside in imports(path) if inside and app_of(module) != own
    )
    assert crossing == []


def test_the_checks_catch_what_they_look_for(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from opiekun.portal.tasks import x\n"
        "def f():\n    from opiekun.complaints.models import Complaint\n"
    )

    assert imports(sample) == [
        ("opiekun.portal.tasks", False),
        ("opiekun.complaints.models", True),
    ]
    assert app_of("opiekun.channels.email.inbound") == "channels.email"

"""DESIGN.md "Layout": imports only run down the layers. This test parses every import of the
product (ast, so imports inside functions count too) and fails on an arrow that runs up, sideways
between features outside the allowed directions, into devtools, or into recovery_site."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Bottom to top. An app may import any app of a lower layer.
LAYERS: list[set[str]] = [
    {"common"},
    {"members"},
    {"notifications"},
    {"checkins"},
    {"resources", "matching", "groups", "plans", "messaging"},
    {"dashboard"},
]
# Arrows allowed inside the feature layer (DESIGN.md): ONE direction each, never a circle.
FEATURE_ARROWS = {
    ("messaging", "matching"),
    ("plans", "checkins"),
    ("plans", "groups"),
    ("plans", "resources"),
}
TOP = {"devtools", "recovery_site"}  # they may import anything; nothing imports them
APPS = set().union(*LAYERS) | TOP
# The product's files: no app module longer than this (DESIGN.md: past ~500 lines a file
# becomes a package); migrations and devtools' generated data are not product code.
MAX_LINES = 600


def layer_of(app: str) -> int:
    for i, layer in enumerate(LAYERS):
        if app in layer:
            return i
    return len(LAYERS)


def product_files() -> list[Path]:
    return sorted(p for app in APPS for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts)


def imports_of(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, node.lineno))
    return found


def arrow_problem(src: str, dst: str) -> str | None:
    if dst == src or dst not in APPS:
        return None
    if dst in TOP:
        return f"{src} imports {dst}: nothing imports {dst}"
    if src in TOP:
        return None
    if (src, dst) in FEATURE_ARROWS:
        return None
    if layer_of(dst) < layer_of(src):
        return None
    return f"{src} imports {dst}: an arrow up or sideways (DESIGN.md Layout)"


def all_arrows() -> list[str]:
    problems = []
    for path in product_files():
        src = path.relative_to(ROOT).parts[0]
        for module, line in imports_of(path):
            problem = arrow_problem(src, module.split(".")[0])
            if problem:
                problems.append(f"{path.relative_to(ROOT)}:{line}: {problem}")
    return problems


def test_imports_only_run_down_the_layers() -> None:
    assert all_arrows() == []


def test_no_product_file_is_over_600_lines() -> None:
    long = [
        f"{p.relative_to(ROOT)}: {n}"
        for p in product_files()
        if "devtools" not in p.parts and (n := len(p.read_text().splitlines())) > MAX_LINES
    ]
    assert long == []


@pytest.mark.parametrize(
    ("src", "dst", "allowed"),
    [
        ("checkins", "members", True),
        ("members", "notifications", False),  # the base never calls up into a feature
        ("checkins", "groups", False),  # groups tells checkins, not the other way round
        ("groups", "checkins", True),
        ("matching", "groups", False),  # features use one another only in the listed directions
        ("messaging", "matching", True),
        ("matching", "messaging", False),
        ("dashboard", "matching", True),
        ("members", "recovery_site", False),
        ("groups", "devtools", False),
        ("devtools", "groups", True),
        ("common", "members", False),
    ],
)
def test_the_rule_itself(src: str, dst: str, allowed: bool) -> None:
    assert (arrow_problem(src, dst) is None) is allowed


def test_the_checkpoint_is_defined_once() -> None:
    """members/access.py is the only definition of "what may this viewer see of this member"."""
    names = ("client_get_for_viewer", "client_scopes_for_many", "clients_visible_to", "client_page_for_viewer")
    defined = [
        f"{p.relative_to(ROOT)}: {node.name}"
        for p in product_files()
        for node in ast.walk(ast.parse(p.read_text()))
        if isinstance(node, ast.FunctionDef) and node.name in names
    ]
    assert sorted(defined) == sorted(f"members/access.py: {n}" for n in names)

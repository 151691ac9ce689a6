"""The house keeps its shape (docs/architecture.md): the kernel (``office``) names no domain app,
the domain apps import each other one way only, each flow is a package of the fixed shape, and no
source file grows past the size a reader can hold. Read from the source, as a reviewer would."""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
FLOW_SHAPE = {"models", "rules", "services", "selectors", "api", "views", "forms", "exports", "demo"}
FLOWS = [
    "documents/outgoing",
    "documents/incoming",
    "supervision",
    "petitions",
    "petitions/proposals",
    "petitions/disclosure",
    "meetings",
]
# Only these kernel modules may name a domain app: they put the apps together.
ASSEMBLY = {"office/settings.py", "office/urls.py"}


def domain_apps() -> list[str]:
    return sorted(
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).parent == ROOT and config.name != "office"  # this project's own top-level apps
    )


def sources(folder: str):
    for path in sorted((ROOT / folder).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def names_package(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_kernel_names_no_domain_app():
    domains = domain_apps()
    assert domains, "no domain app found"
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in sources("office")
        if str(path.relative_to(ROOT)) not in ASSEMBLY
        for module in imported(path)
        if any(names_package(module, app) for app in domains)
    ]
    assert offenders == []


def test_domain_apps_import_each_other_one_way():
    domains = domain_apps()
    arrows = {
        (app, other)
        for app in domains
        for path in sources(app)
        for module in imported(path)
        for other in domains
        if other != app and names_package(module, other)
    }
    assert not [(a, b) for a, b in arrows if (b, a) in arrows], arrows


def test_the_two_document_flows_lean_one_way():
    """发文 hands its internal copies to 收文's queue; 收文 takes nothing from 发文."""
    back = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in sources("documents/incoming")
        for module in imported(path)
        if names_package(module, "documents.outgoing")
    ]
    assert back == []


def test_every_flow_has_the_fixed_shape():
    for flow in FLOWS:
        present = {path.stem for path in (ROOT / flow).iterdir() if path.suffix == ".py" or path.is_dir()}
        assert present >= FLOW_SHAPE, f"{flow} lacks {sorted(FLOW_SHAPE - present)}"


def test_no_source_file_is_longer_than_800_lines():
    folders = ["office", *domain_apps(), "tests", "bench"]
    long = [
        f"{path.relative_to(ROOT)}: {lines}"
        for folder in folders
        for path in sources(folder)
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 800
    ]
    assert long == []

"""The layers of ARCHITECTURE.md, read from the code: every import of the kit (inside functions
and under TYPE_CHECKING too) points down the layers, and no two modules import each other,
however indirectly."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = {"contracts": "contracts", "mockserver": "mockserver", "pytest_plugin": "pytest_plugin"}

# Bottom to top: a module may import its own layer and the layers below it.
LAYERS = ["contracts", "model", "vendors", "pipeline", "server", "ci", "cli", "plugin"]


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in FOLDERS:
        for path in (ROOT / folder).rglob("*.py"):
            parts = [folder, *path.relative_to(ROOT / folder).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            found["agentmock." + ".".join(parts)] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            targets = [module, *(f"{module}.{alias.name}" for alias in node.names)]
        found |= {t for t in targets if t in known and t != name}
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def _layer(module: str) -> str:
    parts = module.split(".")[1:]
    if parts[0] in ("contracts", "pytest_plugin"):
        return "contracts" if parts[0] == "contracts" else "plugin"
    if len(parts) == 1:
        return "pipeline"  # the package itself
    if parts[1] in ("model", "vendors", "server", "ci"):
        return parts[1]
    return "cli" if parts[1] == "cli" else "pipeline"


def test_every_import_points_down_the_layers() -> None:
    upward = [
        f"{module} ({_layer(module)}) imports {target} ({_layer(target)})"
        for module, targets in sorted(_graph().items())
        for target in sorted(targets)
        if LAYERS.index(_layer(target)) > LAYERS.index(_layer(module))
    ]
    assert upward == []


def test_there_is_no_import_cycle() -> None:
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    assert cycles == []


def test_the_checker_sees_an_upward_import() -> None:
    """The graph is read right: the pipeline's core imports the vendors (downward), and a
    vendor module importing the core would be reported."""
    graph = _graph()
    assert "agentmock.mockserver.vendors" in graph["agentmock.mockserver.core"]
    assert LAYERS.index(_layer("agentmock.mockserver.core")) > LAYERS.index(
        _layer("agentmock.mockserver.vendors.voicy")
    )


def test_no_module_is_over_400_lines() -> None:
    long = [
        f"{path.relative_to(ROOT)}: {lines}"
        for path in _modules().values()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 400
    ]
    assert long == []

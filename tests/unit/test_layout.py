"""Review comments turned into checks (STYLE.md §6): arrows point inward, the lab
stays out of the product, and no module of the product imports itself round a loop."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers import paths

ROOT = paths.REPO
CORE = ROOT / "strongroom"
NETWORK_MODULES = {"socket", "http", "urllib", "requests", "httpx", "aiohttp", "ftplib",
                   "smtplib", "ssl", "huggingface_hub", "xmlrpc", "websocket"}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            prefix = "." * node.level
            names.add(prefix + node.module)
    return names


def core_files() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


def test_the_core_never_imports_qt_the_window_or_a_backend():
    # The launcher is the one module that knows both sides, and only on the window path.
    for path in core_files():
        for name in imports(path):
            assert not name.startswith(("PySide6", "shiboken6")), path
            if path.name != "launcher.py":
                assert "desktop" not in name.split("."), path
            assert not name.startswith(("llama_cpp", "mlx", "strongroom.backends")), path
            assert name.lstrip(".") not in ("backends", "backends.llama_cpp"), path


def test_nothing_imports_network_modules():
    # netguard imports socket only to name the address family it lets through.
    allowed = {CORE / "netguard.py": {"socket"}}
    for path in [*core_files(), *sorted((ROOT / "backends").rglob("*.py")),
                 *sorted((ROOT / "desktop").rglob("*.py"))]:
        for name in imports(path):
            top = name.lstrip(".").split(".")[0]
            if top in NETWORK_MODULES:
                assert top in allowed.get(path, set()), f"{path} imports {name}"


def test_engines_are_only_handed_local_files():
    for path in [*sorted((ROOT / "backends").rglob("*.py")), *core_files()]:
        text = path.read_text(encoding="utf-8")
        assert "from_pretrained" not in text.replace("never from_pretrained", ""), path
        assert "hf_hub_download" not in text and "snapshot_download" not in text, path


def test_every_resource_file_is_packaged():
    """An installed (non-editable) Strongroom must carry every data file it reads."""
    import fnmatch
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["strongroom.resources"]
    res = ROOT / "resources"
    for path in res.rglob("*"):
        rel = path.relative_to(res).as_posix()
        if path.is_dir() or path.suffix == ".py" or "__pycache__" in rel:
            continue
        assert any(fnmatch.fnmatch(rel, g) and rel.count("/") == g.count("/") for g in globs), rel


# -- the lab stays out; no import cycles ---------------------------------------------------
#: The product's folders and the package name each installs as (pyproject's package-dir).
PRODUCT = {"strongroom": CORE, "strongroom.backends": ROOT / "backends",
           "strongroom.desktop": ROOT / "desktop", "strongroom.resources": ROOT / "resources"}


def modules(roots: dict[str, Path]) -> dict[str, Path]:
    """Module name -> file, for every ``.py`` under each root folder (a package's
    ``__init__.py`` under the package's own name)."""
    out: dict[str, Path] = {}
    for package, folder in roots.items():
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join((package, *parts))] = path
    return out


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def runtime_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import that can run: at the top, in functions and classes (lazy imports
    are imports too); not the ones under ``if TYPE_CHECKING:`` (never executed)."""
    found: list[ast.Import | ast.ImportFrom] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return found


def import_graph(mods: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the modules of ``mods`` it imports (a name from a module is an edge
    to that module; a package name alone, to its ``__init__``)."""
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges: set[str] = set()
        for node in runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, base] if base else parts)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base
                           for a in node.names]
            for target in targets:
                while target and target not in mods:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    edges.add(target)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles: groups of modules that import each other, directly or
    round a loop (strongly connected components of more than one module, Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def lab_imports(files: list[Path]) -> list[str]:
    """``path: name`` for every import of the ``lab`` package (lazy ones included)."""
    found = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                     else [])
            found += [f"{path}: {n}" for n in names if n.split(".")[0] == "lab"]
    return found


def test_the_product_never_imports_the_lab():
    assert lab_imports(sorted(modules(PRODUCT).values())) == []


def test_no_import_cycles_in_the_product():
    assert cycles(import_graph(modules(PRODUCT))) == []


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_the_cycle_check_finds_a_cycle_hidden_in_a_lazy_import(tmp_path):
    pkg = _tree(tmp_path / "pkg", {
        "__init__.py": "",
        "a.py": "from . import b\nfrom .sub import c\n",
        "b.py": "import os\n\ndef f():\n    from .a import x  # the lazy import hides it\n",
        "sub/__init__.py": "",
        "sub/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..a import y\n",
        "sub/d.py": "from pkg.sub import c\nimport pkg.e\n",
        "e.py": "from .sub.d import z\n",
    })
    graph = import_graph(modules({"pkg": pkg}))
    assert graph["pkg.a"] == {"pkg.b", "pkg.sub.c"}
    assert graph["pkg.sub.c"] == set()  # under TYPE_CHECKING: never runs
    assert cycles(graph) == [["pkg.a", "pkg.b"], ["pkg.e", "pkg.sub.d"]]
    (pkg / "b.py").write_text("import os\n", encoding="utf-8")
    (pkg / "e.py").write_text("", encoding="utf-8")
    assert cycles(import_graph(modules({"pkg": pkg}))) == []


def test_the_lab_check_finds_a_planted_import(tmp_path):
    pkg = _tree(tmp_path / "pkg", {
        "ok.py": "import labyrinth\nfrom .lab import x\nfrom strongroom import labtests\n",
        "top.py": "import lab.synth\n",
        "lazy.py": "def f():\n    from lab.train_ranker import LearnedChooser\n",
    })
    assert lab_imports(sorted(pkg.rglob("*.py"))) == [f"{pkg / 'lazy.py'}: lab.train_ranker",
                                                     f"{pkg / 'top.py'}: lab.synth"]


def test_the_lab_is_not_installed():
    """``lab/`` runs from the repository (``python -m lab.<name>``); a wheel never carries it."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = config["tool"]["setuptools"]["packages"]
    assert not [p for p in packages if p.split(".")[0] == "lab" or ".training" in p]


def private_imports(files: list[Path]) -> list[str]:
    """``path: module.name`` for every ``_``-prefixed name imported from another module:
    a private name is a module's own business (#20; dunders such as ``__version__``
    are public)."""
    found = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                found += [f"{path}: {node.module or '.'}.{a.name}" for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
    return found


def test_nothing_imports_a_private_name_across_modules():
    files = [*sorted(modules(PRODUCT).values()), *sorted((ROOT / "lab").rglob("*.py"))]
    assert private_imports(files) == []


def test_the_private_name_check_finds_a_planted_import(tmp_path):
    pkg = _tree(tmp_path / "pkg", {
        "ok.py": "from . import __version__\nfrom .db import Vault\nimport _thread\n",
        "bad.py": "def f():\n    from .db import Vault, _unlock\n",
    })
    assert private_imports(sorted(pkg.rglob("*.py"))) == [f"{pkg / 'bad.py'}: db._unlock"]


def shared_names(files: list[Path]) -> dict[str, list[str]]:
    """Module file names used more than once (``__init__``/``__main__`` aside): two
    ``unlock.py`` or ``errors.py`` with different jobs mislead whoever greps (#20)."""
    seen: dict[str, list[str]] = {}
    for path in files:
        if path.name not in ("__init__.py", "__main__.py"):
            seen.setdefault(path.name, []).append(str(path))
    return {name: paths_ for name, paths_ in seen.items() if len(paths_) > 1}


def test_no_two_modules_share_a_name():
    files = [*sorted(modules(PRODUCT).values()), *sorted((ROOT / "lab").rglob("*.py"))]
    assert shared_names(files) == {}


def test_the_name_check_finds_a_planted_twin(tmp_path):
    pkg = _tree(tmp_path / "pkg", {"__init__.py": "", "a/__init__.py": "", "a/errors.py": "",
                                   "b/errors.py": "", "b/ok.py": ""})
    assert list(shared_names(sorted(pkg.rglob("*.py")))) == ["errors.py"]

"""Review comments turned into checks (STYLE.md §6): arrows point inward."""

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

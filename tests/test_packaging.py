"""The package installs like one: a wheel holds exactly one top-level import package (`linkscout`) with the
bundled niche as package data, runs from any folder, and every third-party import is a declared dependency."""

from __future__ import annotations

import ast
import importlib.metadata
import json
import os
import re
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCE_FOLDERS = ("linkscout", "core", "crawler", "store", "graph", "outreach", "cli", "fixtures")


def _declared() -> tuple[set[str], set[str]]:
    """(main dependencies, every optional extra's), as normalised distribution names."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]

    def names(reqs: list[str]) -> set[str]:
        return {re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0].lower().replace("_", "-") for r in reqs}

    extras = set().union(*(names(v) for v in project.get("optional-dependencies", {}).values()))
    return names(project["dependencies"]), extras


def _imports(tree: ast.AST) -> tuple[set[str], set[str]]:
    """Top-level module names imported at module level, and those imported inside functions (lazily)."""
    top: set[str] = set()
    lazy: set[str] = set()

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = nested or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                (lazy if inner else top).update(a.name.split(".")[0] for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                (lazy if inner else top).add(child.module.split(".")[0])
            visit(child, inner)

    visit(tree, False)
    return top, lazy


def test_every_third_party_import_is_a_declared_dependency() -> None:
    deps, extras = _declared()
    dists = importlib.metadata.packages_distributions()
    ours = {"linkscout", "__future__"}
    undeclared = []
    for folder in SOURCE_FOLDERS:
        for f in sorted((REPO / folder).rglob("*.py")):
            top, lazy = _imports(ast.parse(f.read_text(encoding="utf-8")))
            for module, allowed in [(m, deps) for m in top] + [(m, deps | extras) for m in lazy]:
                if module in ours or module in sys.stdlib_module_names:
                    continue
                provided = {d.lower().replace("_", "-") for d in dists.get(module, [module])}
                if not provided & allowed:
                    undeclared.append(f"{f.relative_to(REPO)}: imports {module} (from {sorted(provided)})")
    assert undeclared == [], "imports that pyproject.toml does not declare:\n" + "\n".join(undeclared)


def test_the_declared_check_sees_lazy_and_module_level_imports() -> None:
    top, lazy = _imports(ast.parse("import rich.console\ndef f():\n    from datasette import app\n"))
    assert (top, lazy) == ({"rich"}, {"datasette"})


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)],
                       capture_output=True, text=True, timeout=300)  # fmt: skip
    assert r.returncode == 0, r.stderr[-2000:]
    (whl,) = out.glob("linkscout-*.whl")
    return whl


@pytest.mark.slow
def test_wheel_holds_one_top_level_package_with_the_bundled_niche(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"linkscout"}
    for needed in ("linkscout/fixtures/niche.toml", "linkscout/fixtures/truth.json",
                   "linkscout/fixtures/site/index.json", "linkscout/crawler/fixture_site.py"):  # fmt: skip
        assert needed in names
    assert not [n for n in names if n.startswith(("linkscout/tools", "tools/", "tests/"))]


@pytest.mark.slow
def test_wheel_in_a_fresh_venv_crawls_and_queues_from_any_folder(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    site = Path(subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True).stdout.strip())  # fmt: skip
    # Dependencies come from this test run's environment (a full download of scipy & co. takes minutes);
    # the path is appended after the venv's own site-packages, and this environment's editable finder
    # (a .pth hook) is not run, so `linkscout` can only come from the wheel.
    (site / "_deps_from_test_env.pth").write_text(sysconfig.get_path("purelib") + "\n")
    r = subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--no-deps",
                        "--quiet", str(wheel)], capture_output=True, text=True, timeout=300)  # fmt: skip
    assert r.returncode == 0, r.stderr[-2000:]
    ours = sorted(
        p.name
        for p in site.iterdir()
        if not p.name.endswith((".dist-info", ".pth")) and p.name != "__pycache__"
    )
    assert ours == ["linkscout"]
    elsewhere = tmp_path / "somewhere else"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LINKSCOUT_DB", "LINKSCOUT_NICHE")}
    exe = str(venv / "bin" / "linkscout")
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import linkscout; print(linkscout.__file__)"],
                           cwd=elsewhere, capture_output=True, text=True, env=env, check=True).stdout  # fmt: skip
    assert where.startswith(str(site))
    crawl = subprocess.run([exe, "crawl", "--source", "fixtures", "--db", "mine.db"], cwd=elsewhere,
                           capture_output=True, text=True, env=env, timeout=300)  # fmt: skip
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    queue = subprocess.run([exe, "queue", "--db", "mine.db", "--kind", "authors", "--limit", "3", "--format", "json"],
                           cwd=elsewhere, capture_output=True, text=True, env=env, timeout=300)  # fmt: skip
    assert queue.returncode == 0, queue.stderr[-2000:]
    rows = json.loads(queue.stdout)
    assert [r["handle"] for r in rows][:1] == ["jonas_fai"] and len(rows) == 3
    assert (elsewhere / "mine.db").is_file()

"""The layers, enforced: imports only go down, no cycles, every SQL statement in store/.

    cli -> outreach -> graph -> store -> core
    crawler -> store -> core;   crawler/parse -> core only

An AST walk over the source folders (no import-linter needed): every `import linkscout.X` /
`from linkscout.X import ...` (module level, inside functions, under TYPE_CHECKING: a lazy or
type-only import is still a dependency) is checked against the layer table; the packages' import
graph must have no cycle, and neither may the modules' runtime imports (TYPE_CHECKING ones aside).
SQL lives only in store/: outside it no `.execute(`, `.executemany(`, `.executescript(`, `.query(`
call and no string that reads as SQL ("SELECT ... FROM", "INSERT INTO", "UPDATE ... SET", ...).
The checker runs on the real tree and, to show it can fail, on planted violations in a tmp tree.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ROOT_PACKAGE = "linkscout"
# Layer -> the layers it may import (itself included). A sub-package listed here is a layer of its own.
ALLOWED: dict[str, frozenset[str]] = {
    "core": frozenset({"core"}),
    "store": frozenset({"store", "core"}),
    "graph": frozenset({"graph", "store", "core"}),
    "outreach": frozenset({"outreach", "graph", "store", "core"}),
    "crawler": frozenset({"crawler", "crawler.parse", "store", "core"}),
    "crawler.parse": frozenset({"crawler.parse", "core"}),
    "cli": frozenset({"cli", "outreach", "graph", "crawler", "crawler.parse", "store", "core"}),
}
SQL_HOME = "store"
SQL_CALLS = frozenset({"execute", "executemany", "executescript", "query"})
SQL_TEXT = re.compile(
    r"\b(?:SELECT\b[\s\S]*\bFROM|INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
    r"CREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX|VIEW|TRIGGER)|DROP\s+(?:TABLE|INDEX|VIEW)|ALTER\s+TABLE|PRAGMA\s+\w+)\b"
)


@dataclass(frozen=True)
class Source:
    path: Path  # relative to the tree's root
    module: str  # dotted, without the root package: "crawler.parse.page"
    tree: ast.Module

    @cached_property
    def nodes(self) -> list[ast.AST]:
        """Every node of the tree, walked once (three checks read them; walking is the cost)."""
        return list(ast.walk(self.tree))


def layer_of(module: str) -> str | None:
    """The most specific layer a module belongs to ("crawler.parse.rss" -> "crawler.parse")."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        if ".".join(parts[:n]) in ALLOWED:
            return ".".join(parts[:n])
    return None


def sources(root: Path) -> Iterator[Source]:
    top = sorted({layer.split(".")[0] for layer in ALLOWED})
    for folder in top:
        for path in sorted((root / folder).rglob("*.py")):
            rel = path.relative_to(root)
            parts = list(rel.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(rel))
            yield Source(rel, ".".join(parts), tree)


def _type_checking_nodes(src: Source) -> set[int]:
    """ids of the nodes under `if TYPE_CHECKING:` blocks."""
    out: set[int] = set()
    for node in src.nodes:
        if isinstance(node, ast.If):
            test = node.test
            name = (
                test.id
                if isinstance(test, ast.Name)
                else test.attr
                if isinstance(test, ast.Attribute)
                else ""
            )
            if name == "TYPE_CHECKING":
                for child in node.body:
                    out.update(id(n) for n in ast.walk(child))
    return out


def imports(src: Source) -> Iterator[tuple[str, int, bool]]:
    """(imported project module without the root package, line, type-checking only)."""
    typing_only = _type_checking_nodes(src)
    is_pkg = src.path.name == "__init__.py"
    for node in src.nodes:
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = src.module.split(".")
                base = base if is_pkg else base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
                names = [f"{ROOT_PACKAGE}.{target}"]
            else:
                names = [node.module or ""]
        for name in names:
            if name == ROOT_PACKAGE or name.startswith(ROOT_PACKAGE + "."):
                mod = name[len(ROOT_PACKAGE) + 1 :]
                if mod:
                    yield mod, node.lineno, id(node) in typing_only


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path (first node repeated at the end), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return [*stack[stack.index(m) :], m]
            if m not in state and (found := visit(m)) is not None:
                return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state and (found := visit(n)) is not None:
            return found
    return None


def _resolve(mod: str, known: set[str]) -> str | None:
    """The project module an import names (`from linkscout.store import db` names store.db)."""
    parts = mod.split(".")
    for n in range(len(parts), 0, -1):
        if ".".join(parts[:n]) in known:
            return ".".join(parts[:n])
    return None


def sql_uses(src: Source) -> Iterator[tuple[int, str]]:
    for node in src.nodes:
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SQL_CALLS
        ):
            yield node.lineno, f".{node.func.attr}( call"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_TEXT.search(node.value):
            yield node.lineno, f"SQL text {node.value.strip()[:40]!r}"


def violations(root: Path) -> list[str]:
    """Every breach of the layer rules in the tree at `root`, one line each ("" list: clean)."""
    srcs = list(sources(root))
    known = {s.module for s in srcs}
    out: list[str] = []
    packages: dict[str, set[str]] = {}
    modules: dict[str, set[str]] = {}
    for src in srcs:
        own = layer_of(src.module)
        assert own is not None
        for mod, line, typing_only in imports(src):
            target = layer_of(mod)
            if target is None:
                out.append(f"{src.path}:{line}: imports linkscout.{mod}, which is in no layer")
                continue
            if target not in ALLOWED[own]:
                out.append(f"{src.path}:{line}: {own} must not import {target} (linkscout.{mod})")
            if target.split(".")[0] != own.split(".")[0]:
                packages.setdefault(own.split(".")[0], set()).add(target.split(".")[0])
            resolved = _resolve(mod, known)
            if resolved is not None and resolved != src.module and not typing_only:
                modules.setdefault(src.module, set()).add(resolved)
        if own.split(".")[0] != SQL_HOME:
            out.extend(f"{src.path}:{line}: {what} outside {SQL_HOME}/" for line, what in sql_uses(src))
    if (cycle := _cycle(packages)) is not None:
        out.append("package cycle: " + " -> ".join(cycle))
    # A package imports its own modules through __init__ and vice versa; only module-to-module
    # cycles between non-package modules count.
    plain = {m: {t for t in ts if not _is_pkg(root, t)} for m, ts in modules.items() if not _is_pkg(root, m)}
    if (cycle := _cycle(plain)) is not None:
        out.append("module cycle: " + " -> ".join(cycle))
    return out


def _is_pkg(root: Path, module: str) -> bool:
    return (root / Path(*module.split(".")) / "__init__.py").exists()


# Violations tolerated while a move is under way (file paths, or "module cycle"). Empty: every SQL
# statement is in store/. An entry that no longer occurs fails the test, so it cannot go stale.
PENDING: frozenset[str] = frozenset()


def _pending(v: str) -> str | None:
    key = v if v.startswith("module cycle") else v.split(":", 1)[0]
    if key in PENDING and (key.startswith("module cycle") or "outside store/" in v):
        return key
    return None


def test_the_source_tree_keeps_its_layers_has_no_cycles_and_sql_only_in_store() -> None:
    found = violations(REPO)
    assert [v for v in found if _pending(v) is None] == []
    assert sorted(PENDING - {_pending(v) for v in found}) == [], "fixed: drop these from PENDING"


def _plant(root: Path, files: dict[str, str]) -> None:
    for folder in ("core", "store", "graph", "outreach", "crawler", "crawler/parse", "cli"):
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / "__init__.py").write_text("", encoding="utf-8")
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")


def test_the_checker_passes_a_clean_tree(tmp_path: Path) -> None:
    _plant(
        tmp_path,
        {
            "core/errors.py": "class E(Exception): ...\n",
            "store/pages.py": "from linkscout.core.errors import E\n"
            "def n(db): return db.execute('SELECT COUNT(*) FROM pages').fetchone()\n",
            "graph/rank.py": "from linkscout.store.pages import n\n",
            "crawler/parse/rss.py": "from ...core import errors\n",
            "cli/main.py": "from linkscout.graph import rank\nfrom linkscout.crawler.parse import rss\n"
            "HELP = 'Select the posts from your niche'\n",
        },
    )
    assert violations(tmp_path) == []


def test_the_checker_catches_planted_violations(tmp_path: Path) -> None:
    _plant(
        tmp_path,
        {
            "core/errors.py": "from linkscout.graph import rank\n",  # upward from the bottom layer
            "store/pages.py": "def f():\n    from linkscout.crawler import run\n",  # lazy, still upward
            "crawler/run.py": "from linkscout.store import pages\n",  # with the line above: a cycle
            "crawler/parse/rss.py": "from ..run import x\n",  # parsers depend on core only
            "graph/rank.py": "def f(db):\n    return db.conn.execute('SELECT 1')\n",
            "outreach/queue.py": 'Q = f"""UPDATE posts SET claps = 0 WHERE id = {1}"""\n',
            "crawler/saved_pages.py": "from linkscout.crawler.types import S\n",
            "crawler/types.py": "def f():\n    from linkscout.crawler.saved_pages import g\n",
        },
    )
    found = violations(tmp_path)
    assert "core/errors.py:1: core must not import graph (linkscout.graph)" in found
    assert "store/pages.py:2: store must not import crawler (linkscout.crawler)" in found
    assert "crawler/parse/rss.py:1: crawler.parse must not import crawler (linkscout.crawler.run)" in found
    assert "graph/rank.py:2: .execute( call outside store/" in found
    assert any(v.startswith("outreach/queue.py:1: SQL text 'UPDATE posts SET") for v in found)
    assert any(v.startswith("package cycle: ") and "crawler -> store" in v for v in found)
    assert "module cycle: crawler.saved_pages -> crawler.types -> crawler.saved_pages" in found


def test_the_fixture_generator_has_no_import_cycle() -> None:
    """tools/fixture_gen: the world builders share `model.py` instead of importing each other's
    internals (world.py <-> landscape.py was a circle, hidden behind a lazy import)."""
    package = REPO / "tools" / "fixture_gen"
    graph: dict[str, set[str]] = {}
    for path in sorted(package.glob("*.py")):
        graph[path.stem] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module.startswith("tools.fixture_gen."):
                    graph[path.stem].add(node.module.rsplit(".", 1)[1])
                elif node.module == "tools.fixture_gen":
                    graph[path.stem].update(a.name for a in node.names if (package / f"{a.name}.py").exists())
    # The package's front door imports its modules; __main__ imports the front door.
    graph.pop("__init__")
    graph.pop("__main__")
    assert {"model", "world", "landscape"} <= set(graph) and "model" in graph["landscape"]
    assert _cycle(graph) is None, _cycle(graph)

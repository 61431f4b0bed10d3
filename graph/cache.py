"""Work that depends only on the store, done once per store change instead of once per command.

Two results are kept, each labelled with the store's state (`store.changes.StoreState`: a counter
every write to the ranking's tables bumps, by triggers, whoever writes):
- `store_data`: the graph arrays `load_graph` reads (one domain sink, as ranking uses it), which posts
  are copies of others, and each post's URL, publication time and table position;
- `niche_matches`: which posts and tags match the niche's keywords and tags (also keyed on those).

Both live in memory for the rest of the process and on disk beside the database, in `<db>.cache/`
(`*.arrays`: a JSON header and raw numpy array bytes, read without pickle), so the next command
starts from arrays instead of SQLite rows and fuzzy matching. A label that differs from the store's
state now is a miss: the result is computed again from the store (never served stale). The folder
is written only when the database file and its folder are writable; otherwise each command
computes what it needs, as before.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from scipy import sparse
from sqlite_utils import Database

from linkscout.core.heap import paused_gc
from linkscout.core.niche import Niche
from linkscout.graph import build, duplicates, topics
from linkscout.graph.build import NODE_KINDS, WALK_WEIGHTS, StoreGraph, load_graph, walk_key
from linkscout.graph.duplicates import duplicate_mask
from linkscout.graph.topics import NicheMatcher, PostMatches
from linkscout.store import graph_read
from linkscout.store.changes import StoreState, database_file, snapshot, store_state
from linkscout.store.duplicates import post_fingerprints
from linkscout.store.evidence import LinkCitation, links_to_hosts_like

FORMAT = "3"  # 2: the walk matrix is kept too; 3: one raw file per result, not .npz
SUFFIX = ".arrays"
_SEP = "\x00"
T = TypeVar("T")


@dataclass(frozen=True)
class StoreData:
    """What ranking and the outreach queue read of the store's posts, in the graph's post order."""

    graph: StoreGraph
    duplicate: np.ndarray  # bool: a copy of another stored post
    post_rowid: np.ndarray  # int64: table order
    post_url: list[str | None]
    post_published: list[str | None]  # ISO text as stored
    label: str | None = None  # the store state it was read at (None: not cacheable)


def _code_hash() -> str:
    """Results change when the code computing them does: its source is part of the label."""
    h = hashlib.sha256(FORMAT.encode())
    for mod in (build, duplicates, topics, graph_read):
        h.update(Path(str(mod.__file__)).read_bytes())
    return h.hexdigest()[:16]


_CODE: list[str] = []


def _label(state: StoreState, extra: str = "") -> str:
    if not _CODE:
        _CODE.append(_code_hash())
    return f"{_CODE[0]}|{state.token()}|{extra}"


# ---- text and optional-number columns as plain arrays (no pickle) ------------------------------


def _put_strs(out: dict[str, np.ndarray], name: str, values: Sequence[str | None]) -> None:
    if any(v is not None and _SEP in v for v in values):
        raise ValueError("a value holds the separator")
    out[f"{name}.none"] = np.fromiter((v is None for v in values), dtype=bool, count=len(values))
    text = _SEP.join(v or "" for v in values)
    out[f"{name}.text"] = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def _get_strs(z: Any, name: str) -> list[str | None]:
    none = z[f"{name}.none"]
    if len(none) == 0:
        return []
    parts = z[f"{name}.text"].tobytes().decode("utf-8").split(_SEP)
    if len(parts) != len(none):
        raise ValueError("length mismatch")
    if none.any():
        return [None if n else p for p, n in zip(parts, none.tolist(), strict=True)]
    return list(parts)


def _put_ints(out: dict[str, np.ndarray], name: str, values: Sequence[int | None]) -> None:
    out[f"{name}.none"] = np.fromiter((v is None for v in values), dtype=bool, count=len(values))
    out[f"{name}.value"] = np.fromiter((v or 0 for v in values), dtype=np.int64, count=len(values))


def _get_ints(z: Any, name: str) -> list[int | None]:
    none, value = z[f"{name}.none"].tolist(), z[f"{name}.value"].tolist()
    return [None if n else v for v, n in zip(value, none, strict=True)]


_GRAPH_ARRAYS = ("src", "dst", "kind", "weight", "post_author", "post_pub", "post_day", "post_claps",
                 "post_responses", "post_tag_ptr", "post_tag_idx")  # fmt: skip


def _encode_store(d: StoreData) -> dict[str, np.ndarray]:
    g = d.graph
    out: dict[str, np.ndarray] = {name: getattr(g, name) for name in _GRAPH_ARRAYS}
    for k in NODE_KINDS:
        _put_strs(out, f"keys.{k}", g.keys[k])
    _put_strs(out, "post_title", g.post_title)
    _put_strs(out, "post_subtitle", g.post_subtitle)
    _put_strs(out, "pub_submission_url", g.pub_submission_url)
    _put_ints(out, "author_followers", g.author_followers)
    _put_ints(out, "pub_followers", g.pub_followers)
    walk = g.walk_matrix(WALK_WEIGHTS)  # the ranking's walk, so no command sorts the edges again
    out["walk.indptr"], out["walk.indices"], out["walk.data"] = walk.indptr, walk.indices, walk.data
    out["duplicate"] = d.duplicate
    out["post_rowid"] = d.post_rowid
    _put_strs(out, "post_url", d.post_url)
    _put_strs(out, "post_published", d.post_published)
    return out


def _decode_store(z: Any) -> StoreData:
    keys: dict[str, list[str]] = {k: [s or "" for s in _get_strs(z, f"keys.{k}")] for k in NODE_KINDS}
    offset, at = {}, 0
    for k in NODE_KINDS:
        offset[k] = at
        at += len(keys[k])
    arrays = {name: z[name] for name in _GRAPH_ARRAYS}
    g = StoreGraph(
        keys=keys, offset=offset, post_title=_get_strs(z, "post_title"), post_subtitle=_get_strs(z, "post_subtitle"),
        author_followers=_get_ints(z, "author_followers"), pub_followers=_get_ints(z, "pub_followers"),
        pub_submission_url=_get_strs(z, "pub_submission_url"), **arrays,
    )  # fmt: skip
    n = g.n
    walk = sparse.csr_array((z["walk.data"], z["walk.indices"], z["walk.indptr"]), shape=(n, n))
    walk.has_canonical_format = True  # as it was computed (StoreGraph.walk_matrix)
    g.walks[walk_key(WALK_WEIGHTS)] = walk
    return StoreData(
        g, z["duplicate"], z["post_rowid"], _get_strs(z, "post_url"), _get_strs(z, "post_published")
    )


def _encode_matches(v: tuple[frozenset[str], PostMatches]) -> dict[str, np.ndarray]:
    tags, m = v
    out = {"is_niche": m.is_niche, "by_tag": m.by_tag, "hits": m.hits}
    _put_strs(out, "niche_tags", sorted(tags))
    _put_strs(out, "names", list(m.names))
    return out


def _decode_matches(z: Any) -> tuple[frozenset[str], PostMatches]:
    tags = frozenset(s or "" for s in _get_strs(z, "niche_tags"))
    names = tuple(s or "" for s in _get_strs(z, "names"))
    return tags, PostMatches(is_niche=z["is_niche"], by_tag=z["by_tag"], hits=z["hits"], names=names)


# ---- the cache: memory first, then the folder beside the database ------------------------------

_memory: dict[tuple[str, str], tuple[str, Any]] = {}  # (database file, name) -> (label, value)


def cache_folder(db: Database) -> Path | None:
    """`<db>.cache` beside the database file; None for an in-memory or temporary database."""
    f = database_file(db)
    return f.with_name(f.name + ".cache") if f is not None else None


def _writable(db: Database) -> bool:
    f = database_file(db)
    return f is not None and os.access(f, os.W_OK) and os.access(f.parent, os.W_OK)


_MAGIC = b"linkscout-arrays\n"
_ALIGN = 64


def _padded(nbytes: int) -> int:
    return -(-nbytes // _ALIGN) * _ALIGN


def _load(path: Path, label: str, decode: Callable[[Any], T]) -> T | None:
    try:
        with open(path, "rb") as f:
            if f.read(len(_MAGIC)) != _MAGIC:
                return None
            size = int.from_bytes(f.read(8), "little")
            head = json.loads(f.read(size).decode("utf-8"))
            if head["label"] != label:
                return None  # a miss costs the header, not the arrays
            body = np.empty(int(head["size"]), dtype=np.uint8)
            if f.readinto(body.data) != len(body):
                return None
        z = {
            name: body[at : at + nbytes].view(np.dtype(dtype)).reshape(shape)
            for name, dtype, shape, at, nbytes in head["arrays"]
        }
        with paused_gc():  # decoding builds one object per row and value
            return decode(z)
    except Exception:  # noqa: BLE001 - a missing, partial or foreign file is a miss, never an error
        return None


def _save(db: Database, path: Path, label: str, arrays: dict[str, np.ndarray]) -> None:
    """One file: a magic line, a JSON header (the label, each array's dtype, shape and place), then the
    arrays' bytes, each aligned. Read back with one read into one buffer that the arrays view: no
    zip member copies and checksums (np.load of an .npz), which cost seconds at 10M edges."""
    if not _writable(db):
        return
    try:
        plain = {name: np.ascontiguousarray(a) for name, a in arrays.items()}
        entries, at = [], 0
        for name, a in plain.items():
            if a.dtype.hasobject:
                raise ValueError(f"{name}: object arrays are not kept")
            entries.append((name, a.dtype.str, list(a.shape), at, a.nbytes))
            at += _padded(a.nbytes)
        head = json.dumps({"label": label, "size": at, "arrays": entries}).encode("utf-8")
        path.parent.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.stem + ".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(_MAGIC + len(head).to_bytes(8, "little") + head)
                for a in plain.values():
                    f.write(a.data if a.nbytes else b"")
                    f.write(b"\0" * (_padded(a.nbytes) - a.nbytes))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, ValueError):
        return  # a full disk or an odd value: the next command computes it again


def _remember(folder: Path, name: str, label: str, value: T) -> T:
    if len(_memory) > 8:
        _memory.clear()
    _memory[(str(folder), name)] = (label, value)
    return value


def _recall(db: Database, folder: Path, name: str, label: str, decode: Callable[[Any], T]) -> T | None:
    hit = _memory.get((str(folder), name))
    if hit is not None and hit[0] == label:
        return hit[1]  # type: ignore[no-any-return]
    return _load(folder / f"{name}{SUFFIX}", label, decode)


def _keep(
    db: Database, folder: Path, name: str, label: str, value: T, encode: Callable[[T], dict[str, np.ndarray]]
) -> None:
    try:
        arrays = encode(value)
    except ValueError:
        return
    _save(db, folder / f"{name}{SUFFIX}", label, arrays)


def _compute_store(db: Database) -> StoreData:
    g = load_graph(db, domains=False)
    dup = duplicate_mask(g, post_fingerprints(db))
    places = graph_read.post_places(db)
    if [p[0] for p in places] != g.keys["post"]:  # cannot happen inside one snapshot; be sure anyway
        raise RuntimeError("posts changed while the graph was read")
    rowid = np.fromiter((p[1] for p in places), dtype=np.int64, count=len(places))
    return StoreData(g, dup, rowid, [p[2] for p in places], [p[3] for p in places])


def store_data(db: Database) -> StoreData:
    """The ranking's view of the store (graph arrays, copies, post URLs and times), from the cache
    when the store has not changed since it was computed."""
    with snapshot(db):  # the label and the rows it labels come from one state of the store
        state = store_state(db)
        folder = cache_folder(db)
        if state is None or folder is None:
            return _compute_store(db)
        label = _label(state)
        value = _recall(db, folder, "store", label, _decode_store)
        if value is not None:
            return _remember(folder, "store", label, replace(value, label=label))
        value = replace(_compute_store(db), label=label)
    _keep(db, folder, "store", label, value, _encode_store)
    return _remember(folder, "store", label, value)


def niche_matches(db: Database, niche: Niche, data: StoreData) -> tuple[frozenset[str], PostMatches]:
    """(the niche's tags among the stored ones, which posts match the niche), for `data`'s posts;
    kept under `data`'s label, so they are redone with it."""
    matcher = NicheMatcher(niche.niche.keywords, niche.niche.tags)
    g = data.graph

    def compute() -> tuple[frozenset[str], PostMatches]:
        tags = matcher.niche_tags(g.keys["tag"])
        m = matcher.match_arrays(
            g.post_title, g.post_subtitle, g.keys["tag"], g.post_tag_ptr, g.post_tag_idx, tags
        )
        return tags, m

    folder = cache_folder(db)
    if data.label is None or folder is None:
        return compute()
    spec = repr((tuple(niche.niche.keywords), tuple(niche.niche.tags), matcher.cutoff))
    name = "niche-" + hashlib.sha256(spec.encode("utf-8")).hexdigest()[:16]
    label = f"{data.label}|{spec}"
    value = _recall(db, folder, name, label, _decode_matches)
    if value is None:
        value = compute()
        _keep(db, folder, name, label, value, _encode_matches)
    return _remember(folder, name, label, value)


_derived: dict[str, tuple[str, Any]] = {}


def in_memory(data: StoreData, name: str, compute: Callable[[], T]) -> T:
    """`compute()`, kept in memory while `data`'s store state lasts (`name` must say what else it
    depends on): the queue and the export of one command share one result."""
    if data.label is None:
        return compute()
    hit = _derived.get(name)
    if hit is not None and hit[0] == data.label:
        return hit[1]  # type: ignore[no-any-return]
    if len(_derived) > 8:
        _derived.clear()
    value = compute()
    _derived[name] = (data.label, value)
    return value


def _encode_links(rows: list[LinkCitation]) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    _put_strs(out, "post_id", [r.post_id for r in rows])
    _put_strs(out, "url", [r.url for r in rows])
    _put_strs(out, "host", [r.host for r in rows])
    _put_strs(out, "rel", [r.rel for r in rows])
    for name in ("position", "nofollow", "ugc"):
        out[name] = np.fromiter((getattr(r, name) for r in rows), dtype=np.int64, count=len(rows))
    return out


def _decode_links(z: Any) -> list[LinkCitation]:
    post, url, host, rel = (_get_strs(z, n) for n in ("post_id", "url", "host", "rel"))
    pos, nf, ugc = (z[n].tolist() for n in ("position", "nofollow", "ugc"))
    return [
        LinkCitation(p or "", a, u or "", h, r, b, c)
        for p, a, u, h, r, b, c in zip(post, pos, url, host, rel, nf, ugc, strict=True)
    ]


def links_to_domains(db: Database, data: StoreData, domains: tuple[str, ...]) -> list[LinkCitation]:
    """Body links to `domains` or their subdomains (store.evidence.links_to_hosts_like), kept under
    `data`'s label: the store state is what they depend on, with the domains."""
    folder = cache_folder(db)
    if not domains or data.label is None or folder is None:
        return links_to_hosts_like(db, domains) if domains else []
    spec = repr(("links", domains))
    name = "links-" + hashlib.sha256(spec.encode("utf-8")).hexdigest()[:16]
    label = f"{data.label}|{spec}"
    value = _recall(db, folder, name, label, _decode_links)
    if value is None:
        value = links_to_hosts_like(db, domains)
        _keep(db, folder, name, label, value, _encode_links)
    return _remember(folder, name, label, value)

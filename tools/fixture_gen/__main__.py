"""CLI: `python -m tools.fixture_gen --out DIR [--posts N] [--seed S]`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from tools.fixture_gen import generate


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.fixture_gen", description=__doc__)
    ap.add_argument(
        "--out", type=Path, required=True, help="folder to write site/, truth.json and niche.toml into"
    )
    ap.add_argument("--posts", type=int, default=None, help="grow the world with filler authors to N posts")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--niche",
        choices=("seo", "small", "large"),
        default="seo",
        help="seo: the bundled niche; small (home espresso) or large (indie game development)",
    )
    ap.add_argument("--no-site", action="store_true", help="write truth.json and niche.toml only")
    args = ap.parse_args(argv)
    start = time.perf_counter()
    s = generate(args.out, seed=args.seed, posts=args.posts, niche=args.niche, site=not args.no_site)
    print(f"wrote {s.pages} pages ({s.bytes / 1e6:.1f} MB), {s.posts} posts, {s.authors} authors, "
          f"{s.publications} publications to {s.out} in {time.perf_counter() - start:.1f}s", file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

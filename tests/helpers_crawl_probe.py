"""Run `linkscout ...` in this process with probes, for the crawl tests (run it as a script).

    python tests/helpers_crawl_probe.py REPORT.json [--signal-on SCRAPY_SIGNAL:SIGNAME] -- ARGS...

- Counts every SQLite connection this process opens (`sqlite3.connect`, read-only ones apart) and
  every `store.db.open_db` that succeeded, and writes them to REPORT.json at exit: what a crawl's
  "one connection" claim is checked against.
- `--signal-on spider_closed:SIGINT` sends this process SIGINT from inside a handler of Scrapy's
  `spider_closed` signal (any Scrapy signal name, any signal): a signal that arrives exactly in the
  shutdown phase, with no wall-clock race.
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import sqlite3
import sys
from pathlib import Path
from typing import Any


def main(argv: list[str]) -> None:
    report = Path(argv[0])
    rest = argv[1:]
    signal_on: tuple[str, signal.Signals] | None = None
    if rest and rest[0] == "--signal-on":
        scrapy_signal, signame = rest[1].split(":")
        signal_on = (scrapy_signal, signal.Signals[signame])
        rest = rest[2:]
    assert rest and rest[0] == "--", "usage: REPORT.json [--signal-on SCRAPY_SIGNAL:SIGNAME] -- ARGS..."
    args = rest[1:]

    connects: list[str] = []
    real_connect = sqlite3.connect

    def connect(database: Any, *a: Any, **kw: Any) -> sqlite3.Connection:
        name = str(database)
        if not (kw.get("uri") and "mode=ro" in name):
            connects.append(name)
        return real_connect(database, *a, **kw)

    sqlite3.connect = connect  # type: ignore[assignment]
    fired: list[str] = []

    def write_report() -> None:
        from linkscout.store import db

        opened = [str(p) for p in db._opened]
        report.write_text(json.dumps({"connects": connects, "open_db": opened, "fired": fired}))

    atexit.register(write_report)

    if signal_on is not None:
        from scrapy import signals as scrapy_signals

        from linkscout.crawler.spiders.niche_spider import NicheSpider

        scrapy_signal, signum = signal_on
        original = NicheSpider.from_crawler.__func__  # type: ignore[attr-defined]

        def from_crawler(cls: type[NicheSpider], crawler: Any, *a: Any, **kw: Any) -> NicheSpider:
            spider: NicheSpider = original(cls, crawler, *a, **kw)

            def send(*_a: Any, **_kw: Any) -> None:
                if not fired:
                    fired.append(scrapy_signal)
                    os.kill(os.getpid(), signum)

            crawler.signals.connect(send, signal=getattr(scrapy_signals, scrapy_signal), weak=False)
            return spider

        NicheSpider.from_crawler = classmethod(from_crawler)  # type: ignore[method-assign,assignment]

    from linkscout.cli.main import app

    sys.argv = ["linkscout", *args]
    app()


if __name__ == "__main__":
    main(sys.argv[1:])

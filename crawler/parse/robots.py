"""robots.txt: recognised so it is never mistaken for content; its Sitemap lines are kept as outlinks."""

from __future__ import annotations

import re

from linkscout.core.records import PageKind, PageResult

_LINE = re.compile(r"^\s*(user-agent|disallow|allow|sitemap|crawl-delay|host)\s*:\s*(.*?)\s*(?:#.*)?$", re.I)


def parse_robots(text: str, url: str | None = None) -> PageResult:
    result = PageResult(kind=PageKind.ROBOTS, url=url)
    rules = 0
    for line in text.splitlines()[:5000]:
        m = _LINE.match(line)
        if not m:
            continue
        field, value = m.group(1).lower(), m.group(2)
        if field == "sitemap" and value:
            result.outlinks.append(value)
        else:
            rules += 1
    if rules == 0:
        result.warnings.append("robots.txt without any User-agent/Allow/Disallow rule")
    return result

"""Pure parsers: bytes in, `crawler.records.PageResult` out. No Scrapy, no database.

Entry point for every caller (crawl pipeline, saved-pages import, `linkscout inspect`):

    parse_page(data: bytes | str, url: str | None = None, *, status: int | None = None,
               content_type: str | None = None) -> PageResult

It decodes the bytes (BOM, charset, UTF-16), sniffs the kind of document (HTML, RSS/Atom, legacy
`?format=json` with or without its XSSI prefix, GraphQL JSON, robots.txt) and hands it to the layer
modules; `page.parse_html` merges the HTML layers (JSON-LD/meta, Apollo, legacy obvInit, DOM).
It never raises: whatever cannot be read becomes a warning.
"""

"""Backlink leads by specificity (issue 18, point 8), on known inputs: the user's site first, then a
competitor's specific page over its homepage, and a domain most niche authors cite counts little."""

from __future__ import annotations

import pytest

from linkscout.graph.leads import (
    SITE_LINK_VALUE,
    DomainShare,
    FoundLink,
    domain_shares,
    lead_values,
    link_value,
    page_specificity,
)

_post = 0


def link(author: int, url: str, domain: str, *, rel: str | None = None, post: int | None = None) -> FoundLink:
    global _post
    _post += 1
    flags = (rel or "").split()
    host = url.split("/")[2]
    return FoundLink(f"p{_post}", post if post is not None else _post, author, -1, 0, url, host, domain, rel,
                     "nofollow" in flags, "ugc" in flags)  # fmt: skip


def test_page_specificity_from_the_path() -> None:
    assert page_specificity("https://ahrefs.com").level == "homepage"
    assert page_specificity("https://ahrefs.com/?ref=x#top").weight == 0.25
    assert page_specificity("https://ahrefs.com/blog/").level == "section"
    assert page_specificity("https://ahrefs.com/pricing").weight == 0.5
    guide = page_specificity("https://ahrefs.com/blog/link-building-guide/")
    assert (guide.level, guide.weight, guide.what) == ("specific page", 1.0, "a guide")
    assert page_specificity("https://tampworks.shop/templates/outreach-email-template").what == "a template"
    assert page_specificity("https://tampworks.shop/keyword-research").what is None  # specific, kind unsaid


def test_rarity_weighs_a_domain_by_the_inverse_of_its_share_of_niche_authors() -> None:
    everyone = DomainShare("ahrefs.com", 20, 20)
    half = DomainShare("moz.com", 10, 20)
    one = DomainShare("tampworks.shop", 1, 20)
    assert (everyone.rarity, half.rarity, one.rarity) == (0.0, 0.5, 0.95)
    assert everyone.common and half.common and not one.common
    assert DomainShare("x.com", 0, 0).rarity == 1.0  # no niche authors: nothing to discount


def test_domain_shares_count_distinct_niche_authors_only() -> None:
    leads = [link(0, "https://ahrefs.com/", "ahrefs.com"), link(0, "https://ahrefs.com/blog", "ahrefs.com"),
             link(1, "https://ahrefs.com/", "ahrefs.com"), link(9, "https://ahrefs.com/", "ahrefs.com"),
             link(2, "https://moz.com/", "moz.com")]  # fmt: skip
    shares = domain_shares(leads, niche_authors=[0, 1, 2, 3])
    assert shares["ahrefs.com"] == DomainShare("ahrefs.com", 2, 4)  # author 9 has no niche post
    assert shares["moz.com"] == DomainShare("moz.com", 1, 4)


def test_site_first_then_a_rare_specific_page_then_the_vendor_everyone_cites() -> None:
    # Ten niche authors: 0..7 all cite the big vendor's homepage (as everyone in SEO does); author 0
    # also links to the user's site; author 1 links to a small competitor's template; author 2 to the
    # small competitor's homepage; author 3 to the big vendor's guide.
    leads = [link(a, "https://bigvendor.com/", "bigvendor.com") for a in range(8)]
    leads += [link(1, "https://small.io/templates/outreach-template", "small.io"),
              link(2, "https://small.io/", "small.io"),
              link(3, "https://bigvendor.com/blog/link-building-guide", "bigvendor.com")]  # fmt: skip
    site = [link(0, "https://example.com/pricing", "example.com", rel="nofollow")]
    shares = domain_shares(leads, niche_authors=range(10))
    values = lead_values(leads, site, shares, 10)
    order = sorted(range(8), key=lambda a: -values[a])
    assert order[:4] == [0, 1, 2, 3]
    assert values[0] >= SITE_LINK_VALUE  # already links to you: the warmest lead, nofollow or not
    assert values[1] > 3 * values[2]  # a specific page (template) over the same domain's homepage
    assert values[2] > values[4] > 0  # a rarely cited homepage over the homepage everyone cites
    assert values[4] <= 0.05  # a homepage cited by 8 of 10 niche authors: counts close to nothing
    assert values[8] == 0.0


def test_nofollow_or_ugc_halves_a_competitor_link_and_a_post_counts_its_best_link_once() -> None:
    shares = {"small.io": DomainShare("small.io", 1, 10)}
    followed = link(0, "https://small.io/guide/seo-guide", "small.io")
    ugc = link(0, "https://small.io/guide/seo-guide", "small.io", rel="noopener ugc nofollow")
    assert link_value(ugc, shares) == pytest.approx(link_value(followed, shares) / 2)
    same_post = [
        link(0, "https://small.io/", "small.io", post=1),
        link(0, "https://small.io/a/b", "small.io", post=1),
    ]
    assert lead_values(same_post, [], shares, 1)[0] == pytest.approx(link_value(same_post[1], shares))

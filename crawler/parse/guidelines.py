"""A publication's guidelines page (a "Write for us" / "Submission guidelines" post, or its about
page) read into fields: does it take submissions, how, exclusivity, reprints and canonical links,
link rules and response time.

    read_guidelines(blocks, links=(), url=None) -> Guidelines

`blocks` are the page's text blocks (paragraphs, list items, headings) in page order; `links` its
body links (a mailto: or a form link gives the address a sentence only names). Each field is read
from the first sentence that states it, and that sentence is kept as evidence; a field no sentence
states stays None: the page does not say, and nothing is guessed. A statement that submissions are
closed wins over older instructions on the same page. Pure: text in, record out; never raises.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import urlsplit

from linkscout.core.records import Guidelines, LinkRecord

_SENTENCE = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9@#*•-])")
_NOUNS = r"(?:submissions?|new\s+writers|writers|contributors|contributions|pitches|guest\s+posts|drafts|stories|articles|new\s+authors)"
_NEG = r"(?:not|no|n[’']t|never|no\s+longer|without|avoid|prohibit\w*|banned|forbidden|reject\w*)"

# accepts_submissions
_CLOSED = (
    re.compile(rf"\b(?:not|no\s+longer|n[’']t|never)\s+(?:currently\s+|presently\s+|yet\s+)?(?:be\s+)?(?:accept\w*|tak\w+|open\s+to|consider\w*|review\w*|look\w*\s+for)\s+(?:any\s+)?(?:new\s+|more\s+|outside\s+|unsolicited\s+)?{_NOUNS}", re.I),
    re.compile(r"\bsubmissions?\s+(?:are|is|remain|have\s+been)\s+(?:now\s+|currently\s+|temporarily\s+|officially\s+)?(?:closed|paused|suspended|on\s+hold)", re.I),
    re.compile(r"\b(?:closed|paused)\s+(?:to|for)\s+(?:new\s+|all\s+)?(?:submissions|writers|contributors|pitches)", re.I),
    re.compile(r"\b(?:paused|pausing|suspended|stopped)\s+(?:accepting\s+|taking\s+)?(?:all\s+|new\s+)?(?:submissions|pitches)", re.I),
)  # fmt: skip
_OPEN = (
    re.compile(rf"\b(?:we|we[’']re|we\s+are|are|is|now|always|gladly|happily)\s+(?:currently\s+|always\s+|now\s+|still\s+|actively\s+|happy\s+to\s+)?(?:accept\w*|welcom\w*|open\s+to|looking\s+for|seek\w*|tak\w+|invit\w*|consider\w*)\s+(?:new\s+|original\s+|guest\s+|your\s+)?{_NOUNS}", re.I),
    re.compile(r"\bsubmissions?\s+(?:are|is)\s+(?:now\s+|currently\s+|always\s+)?open\b", re.I),
    re.compile(r"\bopen\s+(?:to|for)\s+(?:new\s+)?(?:submissions|contributors|writers|pitches)", re.I),
    re.compile(r"\b(?:want|like|interested)\s+(?:\w+\s+){0,2}(?:write|writing|contribute|contributing)\s+(?:for|to)\s+(?:us|this\s+publication|our\s+publication)", re.I),
    # An instruction ("To submit, ...", "If you'd like to become a writer, ..."); "how to submit" is a topic, not an invitation.
    re.compile(r"^(?:to|if\s+you(?:[’']d|\s+would)?\s+(?:like|want)\s+to)\s+(?:submit|pitch|be\s+added\s+as\s+an?\s+(?:writer|contributor)|become\s+an?\s+(?:writer|contributor)|write\s+for|contribute)\b", re.I),
)  # fmt: skip

# how_to_submit
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_HANDLE = re.compile(r"(?<![\w.@])@([A-Za-z0-9_]{1,15})\b(?!\.[A-Za-z]{2,}|@)")
_CONTEXT = re.compile(r"submi|draft|pitch|writer|contribut|add(?:ed)?\s+(?:you|as)|stor(?:y|ies)|article|piece|handle|username|publish", re.I)  # fmt: skip
_ROUTES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Google form", re.compile(r"\bgoogle\s+forms?\b|forms\.gle/|docs\.google\.com/forms", re.I)),
    ("form", re.compile(r"\b(?:typeform|jotform|airtable\s+form|submission\s+form|(?:fill|filling)\s+(?:out|in)\s+(?:the|this|our|a)\s+(?:\w+\s+)?form|(?:the|this|our)\s+form\b)", re.I)),
    ("email", re.compile(r"\b(?:e-?mail|mail)\b", re.I)),
    ("Twitter/DM", re.compile(r"\b(?:tweet|twitter|dm|direct\s+message|x\.com)\b", re.I)),
    ("a response on the guidelines post", re.compile(r"\b(?:leave|write|post|drop)\s+(?:us\s+)?a\s+(?:response|comment|note)\b|\brespond\s+(?:to|on|below)\s+(?:this|the)\s+(?:post|story|article)|\bcomment\s+below\b", re.I)),
    ("a Medium private note", re.compile(r"\bprivate\s+note\b", re.I)),
    ("Medium's Submit to publication", re.compile(r"\b(?:add|submit)\s+(?:it\s+|your\s+(?:draft|story|post)\s+)?to\s+(?:the\s+|a\s+)?publication\b|\bsubmit\s+(?:it\s+|your\s+draft\s+)?through\s+medium\b", re.I)),
)  # fmt: skip
_FORM_HOSTS = ("forms.gle", "docs.google.com", "typeform.com", "jotform.com", "airtable.com", "tally.so")

# exclusivity
_UNPUBLISHED = (
    re.compile(r"\b(?:only|just|exclusively)\s+(?:\w+\s+){0,2}(?:accept|consider|take|publish|submit|review)\w*\s+(?:original[, ]+)?(?:previously\s+)?(?:unpublished|new|never[- ]published)\b", re.I),
    re.compile(r"\b(?:must|should|need\s+to|has\s+to|have\s+to)\s+(?:\w+\s+){0,3}(?:be\s+)?(?:previously\s+)?(?:unpublished|never\s+(?:been\s+)?published|not\s+(?:been\s+)?(?:previously\s+)?published)", re.I),
    re.compile(r"\bpreviously\s+unpublished\b", re.I),
    re.compile(rf"\b{_NEG}\s+(?:\w+\s+){{0,3}}(?:accept|consider|take|publish|republish|repost)\w*\s+(?:any\s+)?(?:stories|posts|articles|pieces|work|content\s+)?(?:that\s+(?:have|has)\s+(?:been\s+|already\s+been\s+))?(?:previously|already)[- ]published", re.I),
    re.compile(r"\b(?:previously|already)[- ]published\s+(?:\w+\s+){0,5}(?:will\s+not|won[’']t|is\s+not|are\s+not|isn[’']t|aren[’']t|cannot|can[’']t)\s+(?:be\s+)?(?:accepted|considered|published|eligible)", re.I),
    re.compile(r"\b(?:unpublished\s+drafts?\s+only|drafts?\s+only|only\s+(?:unpublished\s+)?drafts)\b", re.I),
)  # fmt: skip
_PUBLISHED_OK = (
    re.compile(r"\b(?:accept|consider|welcome|take|publish)\w*\s+(?:\w+\s+){0,2}(?:previously|already)[- ]published\b", re.I),
    re.compile(r"\b(?:previously|already)[- ]published\s+(?:\w+\s+){0,4}(?:is|are)\s+(?:also\s+|more\s+than\s+)?(?:welcome|fine|ok|okay|accepted|allowed)", re.I),
    re.compile(r"\b(?:you\s+can|feel\s+free\s+to|may)\s+(?:also\s+)?(?:submit|send|add)\s+(?:\w+\s+){0,3}(?:you(?:[’']ve|\s+have)\s+)?already\s+published", re.I),
)  # fmt: skip

# reprints / canonical
_REPRINT_GATE = re.compile(r"canonical|reprint|republish|re-publish|cross-?post|syndicat|originally\s+published|first\s+published|published\s+(?:elsewhere|outside|on\s+your\s+(?:own\s+)?(?:blog|site|website))", re.I)  # fmt: skip
_REPRINTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("no canonical links", re.compile(r"\b(?:no|not|n[’']t|never|without)\s+(?:\w+\s+){0,3}canonical", re.I)),
    ("reprints need a canonical link to the original", re.compile(r"canonical", re.I)),
    ("no reprints", re.compile(rf"\b{_NEG}\s+(?:\w+\s+){{0,4}}(?:reprint|republish|re-publish|cross-?post|syndicat)|\b(?:reprint|republish\w*|cross-?post\w*|syndicat\w*|published\s+elsewhere)\s+(?:\w+\s+){{0,4}}(?:will\s+not|won[’']t|are\s+not|aren[’']t|is\s+not|cannot|not)\s+(?:be\s+)?(?:accepted|considered|allowed|published)", re.I)),
    ("credit the original (\u201coriginally published at\u201d)", re.compile(r"\b(?:add|include|note|mention|credit|line|say)\w*\b.*\boriginally\s+published|\boriginally\s+published\b.*\b(?:at\s+the\s+(?:bottom|end|top)|line)\b", re.I)),
    ("reprints accepted", re.compile(r"\b(?:accept|welcome|consider|fine|ok|okay|allowed|may\s+be\s+submitted|can\s+be\s+submitted|happy\s+to)\w*", re.I)),
)  # fmt: skip

# link policy
_WORD_NUM = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "ten": "10",
    "a single": "1",
}
_MAX_LINKS = re.compile(r"\b(?:no\s+more\s+than|not\s+more\s+than|up\s+to|a\s+maximum\s+of|maximum\s+of|max(?:imum)?\.?|at\s+most|limit(?:ed)?\s+(?:\w+\s+){0,3}(?:to|of))\s+(\d+|one|two|three|four|five|six|ten|a\s+single)\s+((?:[\w-]+\s+){0,2}?)links?\b(\s+(?:to|pointing\s+to|back\s+to)\s+your\s+(?:own\s+)?(?:site|website|blog|product|business|work))?", re.I)  # fmt: skip
_AFFILIATE = re.compile(r"\baffiliate", re.I)
_DISCLOSE = re.compile(r"\bdisclos", re.I)
_NEGATED = re.compile(
    rf"\b{_NEG}\b|\b(?:will\s+be\s+(?:rejected|removed|declined)|not\s+(?:allowed|permitted|accepted))", re.I
)
_SELF_PROMO = re.compile(r"self[- ]?promot|promotional|promot\w*\s+(?:your\s+)?(?:own\s+)?(?:products?|business|services?|company|brand|courses?)|links?\s+to\s+sell|sales\s+pitch|advertis", re.I)  # fmt: skip
_SPONSORED = re.compile(r"\bsponsored\s+(?:content|posts?|links?)", re.I)

# response time
_RESPONSE_GATE = re.compile(r"respond|repl(?:y|ies)|response|hear\s+(?:back|from)|get\s+back|review|decision|answer|notif|let\s+you\s+know|reach\s+out|contact\s+you|publish(?:ed)?\s+(?:it\s+)?within", re.I)  # fmt: skip
_NUM = (
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|fourteen|thirty|a\s+couple\s+of|a\s+few)"
)
_DURATION = re.compile(rf"\b(?:(?:within|in|up\s+to|inside|about|around|roughly|allow|to|after|take[sn]?|takes\s+up\s+to|of)\s+)?({_NUM}(?:\s*(?:[-–—]|to)\s*{_NUM})?\s+(?:business\s+|working\s+|calendar\s+)?(?:hours?|days?|weeks?|months?))\b", re.I)  # fmt: skip
_SILENCE = re.compile(r"\b(?:if|when)\s+you\s+(?:do\s+not|don[’']t|haven[’']t|have\s+not|did\s+not|didn[’']t|still\s+haven[’']t)\s+(?:\w+\s+){0,2}(?:hear|receive|get|see)", re.I)  # fmt: skip
_DECLINED = re.compile(r"consider|assume|treat|declin|reject|pass\b|not\s+(?:been\s+)?(?:accepted|selected)|free\s+to\s+(?:submit|send|take|publish)|elsewhere|it[’']s\s+a\s+no", re.I)  # fmt: skip


def sentences(blocks: Iterable[str]) -> list[str]:
    """The blocks' sentences in order, whitespace collapsed, duplicates (nested blocks) once."""
    out: list[str] = []
    seen: set[str] = set()
    for block in blocks:
        for line in block.splitlines():
            for s in _SENTENCE.split(" ".join(line.split())):
                s = s.strip(" •*-–—")
                if len(s) >= 12 and s not in seen:
                    seen.add(s)
                    out.append(s)
    return out


def read_guidelines(
    blocks: Sequence[str], links: Sequence[LinkRecord] = (), url: str | None = None
) -> Guidelines:
    """Fields a guidelines page states, each with the sentence it came from (see the module docstring)."""
    try:
        return _read(sentences(blocks), links, url)
    except Exception:  # noqa: BLE001 - a parser never raises; an unreadable page says nothing
        return Guidelines(url=url)


def _read(ss: list[str], links: Sequence[LinkRecord], url: str | None) -> Guidelines:
    evidence: list[tuple[str, str]] = []
    fields: dict[str, object] = {}

    def note(name: str, sentence: str) -> None:
        if (name, sentence) not in evidence:
            evidence.append((name, sentence))

    closed = next((s for s in ss if any(p.search(s) for p in _CLOSED)), None)
    opened = next(
        (s for s in ss if any(p.search(s) for p in _OPEN) and not any(p.search(s) for p in _CLOSED)), None
    )
    if closed is not None:
        fields["accepts_submissions"] = False
        note("accepts_submissions", closed)
    elif opened is not None:
        fields["accepts_submissions"] = True
        note("accepts_submissions", opened)

    routes, targets = _routes(ss, links, note)
    if routes:
        fields["how_to_submit"] = "; ".join(routes)
    if targets:
        fields["submit_to"] = "; ".join(targets)

    for s in ss:
        if any(p.search(s) for p in _UNPUBLISHED) and not any(p.search(s) for p in _PUBLISHED_OK[1:]):
            fields["exclusivity"] = "unpublished only"
        elif any(p.search(s) for p in _PUBLISHED_OK):
            fields["exclusivity"] = "previously published accepted"
        else:
            continue
        note("exclusivity", s)
        break

    for s in ss:
        if not _REPRINT_GATE.search(s):
            continue
        label = next((name for name, p in _REPRINTS if p.search(s)), None)
        if label is not None:
            fields["reprints"] = label
            note("reprints", s)
            break

    policy = _link_policy(ss, note)
    if policy:
        fields["link_policy"] = "; ".join(policy)

    timing = _response_time(ss, note)
    if timing:
        fields["response_time"] = "; ".join(timing)

    return Guidelines(url=url, evidence=tuple(evidence), **fields)  # type: ignore[arg-type]


def _routes(
    ss: list[str], links: Sequence[LinkRecord], note: Callable[[str, str], None]
) -> tuple[list[str], list[str]]:
    routes: list[str] = []
    targets: list[str] = []
    mailtos = [
        link.url.split(":", 1)[1].split("?")[0] for link in links if link.url.lower().startswith("mailto:")
    ]
    forms = [link.url for link in links if _host(link.url).endswith(_FORM_HOSTS)]
    for s in ss:
        emails = _EMAIL.findall(s)
        if not (_CONTEXT.search(s) or emails):
            continue
        for name, pattern in _ROUTES:
            hit = pattern.search(s) or (name == "email" and emails)
            if not hit or name in routes or (name == "form" and "Google form" in routes):
                continue
            if (
                name == "email"
                and not emails
                and not re.search(
                    r"\b(?:e-?mail|mail)\s+(?:us|me|the\s+editors?|your|it|a|to)\b|\bby\s+e-?mail\b|\bvia\s+e-?mail\b|\bsend\b",
                    s,
                    re.I,
                )
            ):
                continue  # "email" as a noun ("our newsletter email") is not a route
            routes.append(name)
            note("how_to_submit", s)
            found: list[str] = []
            if name == "email":
                found = emails or mailtos[:1]
            elif name in ("Google form", "form"):
                found = re.findall(r"https?://\S+", s) or forms[:1]
            elif name == "Twitter/DM":
                found = [f"@{h}" for h in _HANDLE.findall(s)]
            for t in found:
                t = t.rstrip(".,;)")
                if t and t not in targets:
                    targets.append(t)
    return routes, targets


def _link_policy(ss: list[str], note: Callable[[str, str], None]) -> list[str]:
    out: list[str] = []

    def add(label: str, s: str) -> None:
        if label not in out:
            out.append(label)
            note("link_policy", s)

    for s in ss:
        if _AFFILIATE.search(s):
            if _DISCLOSE.search(s):
                add("affiliate links must be disclosed", s)
            elif _NEGATED.search(s):
                add("no affiliate links", s)
        m = _MAX_LINKS.search(s)
        if m:
            n = _WORD_NUM.get(" ".join(m.group(1).lower().split()), m.group(1))
            kind = " ".join(m.group(2).split())
            where = " ".join((m.group(3) or "").split())
            add(
                f"max {n} {kind + ' ' if kind else ''}link{'s' if n != '1' else ''}{' ' + where if where else ''}",
                s,
            )
        if _SELF_PROMO.search(s) and _NEGATED.search(s):
            add("no self-promotion", s)
        if _SPONSORED.search(s) and _NEGATED.search(s):
            add("no sponsored content", s)
    return out


def _response_time(ss: list[str], note: Callable[[str, str], None]) -> list[str]:
    usual: str | None = None
    silence: str | None = None
    for s in ss:
        m = _DURATION.search(s)
        if m is None:
            continue
        span = " ".join(m.group(1).split())
        if silence is None and _SILENCE.search(s) and _DECLINED.search(s):
            silence = f"no reply within {span} means declined"
            note("response_time", s)
        elif usual is None and _RESPONSE_GATE.search(s) and not _SILENCE.search(s):
            usual = f"within {span}"
            note("response_time", s)
    return [x for x in (usual, silence) if x is not None]


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""

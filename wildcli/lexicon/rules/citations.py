"""Rules on citations: the original page, about the term, and a quote for code words and slang."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, unquote, urlsplit

from wildcli.lexicon.model import Lexicon
from wildcli.lexicon.quotes import quote_state
from wildcli.lexicon.rules.base import Problem, Rule
from wildcli.lexicon.rules.context import LintContext

# Hosts the lexicon once cited in place of the original page, by what they copy. A copy may be
# edited, out of date or gone tomorrow, and a reviewer cannot tell which: the original page (a
# Wikipedia article is xx.wikipedia.org/wiki/Title) or the publisher's own copy is cited instead.
MIRRORS: dict[str, str] = {
    **dict.fromkeys((
        "wikimili.com", "friendlywiki.com", "kiwix.jackbot.fr", "kiwix.lema.org", "wiki.kunaldawn.com",
        "wikipedia2006.classicistranieri.com", "en-academic.com", "de-academic.com", "akademik.clovius.club",
        "wiwikim.kfd.me", "zxc.wiki", "dewiki.de", "wiki.li", "owiki.org", "defzone.net", "quenanh.online",
        "hmong.es", "hmong.in.th", "wiki.studentb.eu", "nhacly.com", "jendow.com.tw",
    ), "a copy of Wikipedia or Wiktionary"),
    "mir.pe": "a copy of Namu Wiki",
    "puzzlefactory.com": "a puzzle site showing a copy of Wikipedia text",
    **dict.fromkeys((
        "docslib.org", "fdocuments.net", "fdocuments.us", "readkong.com", "yumpu.com", "123deta.com",
        "euweb.cz", "docplayer.pl", "docplayer.net", "ppdoc.com",
    ), "a document-sharing site holding a copy of a report"),
    "openpolar.no": "a catalogue record of a document held elsewhere (cite the repository itself)",
    **dict.fromkeys((
        "360doc.com", "5ch.net", "2nn.jp", "newssummedup.com", "daily8.com", "shortpedia.com",
        "wpblog.jp", "runews.biz", "envirolink.org", "eastdaily.net.cn", "zunnve.com", "tintuc.vdong.vn",
        "tcmwindow.com",
        "muloentertain.blogspot.com", "noticiasmozambique.blogspot.com", "berauportal2.blogspot.com",
        "berinfo7.blogspot.com", "stopmafia.blogspot.com", "nuage1962.wordpress.com",
    ), "a repost or summary of another publisher's article"),
    **dict.fromkeys((
        "xosogialai.org", "suachuatulanh.org",
    ), "an unrelated site holding a copy of a news article"),
}
_IP_HOST = re.compile(r"^[\d.]+$|^ec2-[\d-]+\..*\.amazonaws\.com$")
"""A bare address or a rented cloud machine holds a copy, never a publisher's page."""


def mirror_of(url: str) -> str | None:
    """What the page at `url` is a copy of, when its host is a known mirror; None otherwise."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if _IP_HOST.match(host):
        return "a copy on a bare server address"
    for domain, what in MIRRORS.items():
        if host == domain or host.endswith("." + domain):
            return what
    return None


class MirrorCitation(Rule):
    rule_id = "WL018"
    description = "a source is a mirror, aggregator or repost of the page it stands for"

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for term in ctx.focused_terms():
            for i, source in enumerate(term.sources):
                what = mirror_of(source.url) if source.url else None
                if what and source.url:
                    host = urlsplit(source.url).hostname
                    yield self.problem(ctx.term_location(term, "sources", i, "url"),
                                       f"{host} is {what}; cite the original page")


_WIKI_HOSTS = re.compile(r"(?:^|\.)(?:wikipedia|wiktionary)\.org$|(?:^|\.)namu\.wiki$")


def page_title(url: str) -> str | None:
    """The article a Wikipedia, Wiktionary or Namu Wiki URL (or a mirror's) names, if it does."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").lower()
    if not (_WIKI_HOSTS.search(host) or mirror_of(url)):
        return None
    title = parse_qs(parts.query).get("title", [""])[0] or parts.path.rstrip("/").rsplit("/", 1)[-1]
    title = unquote(title).replace("_", " ").split("#")[0].strip()
    return title or None


def species_names(lexicon: Lexicon) -> dict[str, str]:
    """Every common and scientific name of the lexicon's species, casefolded, to its taxon."""
    names: dict[str, str] = {}
    for concept in lexicon.concepts.values():
        for species in concept.species:
            for name in (species.scientific_name, species.common_name):
                if name:
                    names[name.casefold()] = species.scientific_name
    return names


_WORD = re.compile(r"\w+")


def _words(text: str) -> str:
    return " " + " ".join(_WORD.findall(text.casefold())) + " "


def _named(text: str, names: list[tuple[str, str]]) -> set[str]:
    """The taxa whose names (`names`: each as `_words` gives it, with its taxon) stand in `text`
    as whole words."""
    folded = _words(text)
    return {taxon for words, taxon in names if words in folded}


class OffTopicCitation(Rule):
    rule_id = "WL019"
    description = "a source's page is about another species than the term names (by the article title)"

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        names = [(_words(name), taxon) for name, taxon in species_names(ctx.lexicon).items()]
        for term in ctx.focused_terms():
            own = _named(term.term, names)
            if not own:
                continue
            for i, source in enumerate(term.sources):
                title = page_title(source.url) if source.url else None
                about = _named(title, names) if title else set()
                if about and not about & own:
                    yield self.problem(
                        ctx.term_location(term, "sources", i, "url"),
                        f"the page is about {title!r} ({', '.join(sorted(about))}), "
                        f"not {term.term!r} ({', '.join(sorted(own))}); cite the page about the term")


class QuoteRequired(Rule):
    rule_id = "WL020"
    description = "an approved code word or slang term has no quote, nor a source marked quote_missing"

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for term in ctx.focused_terms():
            if quote_state(term) == "absent":
                yield self.problem(ctx.term_location(term, "sources"), (
                    f"a {term.kind.value} needs the sentence of its source that shows it (quote:), "
                    "or quote_missing: true on a source whose text cannot be found"))

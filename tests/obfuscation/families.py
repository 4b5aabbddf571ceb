"""Obfuscation families for property tests: how a seller would disguise a term, per script.

Each family takes a term and a random source and returns the disguised spelling, or None when
the family does not apply to the term (its script, its length, the matcher's documented
policy). `embed` puts a spelling among filler words of the term's script, with a context word
when the term needs one, and says where the spelling is.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass

from wildcli.lexicon.model import Kind, Lexicon, Term
from wildcli.match import languages
from wildcli.text import han
from wildcli.text.confusables import TABLE as CONFUSABLES
from wildcli.text.normalize import fold, normalize_key
from wildcli.text.scripts import is_hangul, is_unspaced

FILLERS = {
    "latin": ["table", "blue", "chair", "lamp", "price", "good", "new", "used", "nice", "shop", "today"],
    "vi": ["giá", "tốt", "hàng", "mới", "đẹp", "rẻ", "shop"],
    "han": ["手机", "包邮", "现货", "新款", "特价"],
    "kana": ["新品", "送料", "価格"],
    "thai": ["ราคา", "ถูก", "ใหม่"],
    "hangul": ["가격", "새상품"],
    "cyrillic": ["цена", "новый"],
    "greek": ["τιμή", "καινούργιο"],
    "other": ["table", "blue", "price"],
}
HASHTAG_TAILS = ["carving", "beads", "decor", "collection", "lovers"]
LEETABLE = {"a": "4@", "e": "3", "i": "1!|", "o": "0", "s": "5$", "t": "7", "l": "1|", "b": "8", "g": "9"}
LOOKALIKES = dict(zip("aceijopsxy", "асеіјорѕху", strict=True))
GREEK_LOOKALIKES = dict(zip("aeikoptuvx", "αεικορτυνχ", strict=True))
UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue"}
# The other way round: Latin letters typed for their Cyrillic and Greek look-alikes, and leet
# digits for Cyrillic and Greek vowels ("слонoвая", "к0сть").
LATIN_FOR = {
    "cyrillic": dict(zip("асеіјорѕху", "aceijopsxy", strict=True)),
    "greek": dict(zip("αεικορτυνχ", "aeikoptuvx", strict=True)),
}
LEET_FOR = {"cyrillic": {"о": "0", "а": "4@", "е": "3"}, "greek": {"ο": "0", "α": "4@", "ε": "3"}}
LEET_DIGITS = {ch: [d for d in options if d.isdigit()] for ch, options in LEETABLE.items()}
SEPARATORS = [" ", ".", "-", "_", "*", "/"]


def script(term: str) -> str:
    for ch in term:
        if not ch.isalpha():
            continue
        if is_hangul(ch):
            return "hangul"
        if "\u0e00" <= ch <= "\u0eff":
            return "thai"
        if "\u3040" <= ch <= "\u30ff":
            return "kana"
        if is_unspaced(ch):
            return "han"
        if "\u0400" <= ch <= "\u04ff":
            return "cyrillic"
        if "\u0370" <= ch <= "\u03ff":
            return "greek"
        if ch.isascii() or "\u00c0" <= ch <= "\u024f" or "\u1e00" <= ch <= "\u1eff":
            return "latin"
        return "other"
    return "other"


def _key(term: Term) -> str:
    return normalize_key(term.term, languages.view_for(term.lang))


def _latin_words(term: Term) -> list[str] | None:
    """The term's words, folded, when the skeleton view may match it (Latin script, long enough)."""
    key = _key(term)
    folded = fold(key)
    if not folded.isascii() or not all(w.isalpha() for w in folded.split(" ")):
        return None
    if not languages.lossy_allowed(folded):
        return None
    if languages.strict_diacritics(term.lang) and folded != key and not languages.toneless_allowed(key):
        return None
    return folded.split(" ")


def exact(term: Term, rng: random.Random) -> str | None:
    return term.term


def upper(term: Term, rng: random.Random) -> str | None:
    return term.term.upper() if term.term.upper() != term.term else None


def fullwidth(term: Term, rng: random.Random) -> str | None:
    if not any(ch.isascii() and ch.isalnum() for ch in term.term):
        return None
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isascii() and ch.isalnum() else ch for ch in term.term)


def zero_width(term: Term, rng: random.Random) -> str | None:
    text = term.term
    if len(text) < 2 or term.kind is Kind.EMOJI:
        return None
    cut = rng.randrange(1, len(text))
    return text[:cut] + rng.choice("\u200b\u200c\u200d\u2060\u00ad") + text[cut:]


def zero_width_space(term: Term, rng: random.Random) -> str | None:
    """The spaces of a term of several words of a spaced script made invisible: "ngà\u200bvoi"
    (in scripts without spaces, a space of a term is one separator among others: `separated`)."""
    if " " not in term.term.strip() or languages.unspaced(_key(term)):
        return None
    return term.term.replace(" ", "\u200b")


def confusable(term: Term, rng: random.Random) -> str | None:
    return _lookalikes(term, rng, LOOKALIKES)


def confusable_greek(term: Term, rng: random.Random) -> str | None:
    return _lookalikes(term, rng, GREEK_LOOKALIKES)


def _lookalikes(term: Term, rng: random.Random, table: dict[str, str]) -> str | None:
    words = _latin_words(term)
    if words is None:
        return None
    out = []
    for word in words:
        spots = [i for i, ch in enumerate(word) if ch in table]
        # At least one real Latin letter must stay, so the word mixes scripts.
        if not spots or len(spots) == len(word):
            out.append(word)
            continue
        chosen = rng.sample(spots, rng.randint(1, min(len(spots), len(word) - 1)))
        out.append("".join(table[ch] if i in chosen else ch for i, ch in enumerate(word)))
    return " ".join(out) if out != words else None


def _host_words(term: Term) -> list[str] | None:
    """The term's words, case folded, when it is written in Cyrillic or Greek."""
    key = _key(term)
    if script(key) not in LATIN_FOR or not all(w.isalpha() for w in key.split(" ")):
        return None
    return key.split(" ")


def latin_in_host(term: Term, rng: random.Random) -> str | None:
    """Latin look-alikes typed inside the words of a Cyrillic or Greek term. A word is read as
    Cyrillic or Greek when it keeps a letter with no Latin look-alike (л, я, λ); a word made
    only of look-alikes would read as Latin, so such words stay as they are."""
    words = _host_words(term)
    if words is None:
        return None
    table = LATIN_FOR[script(words[0])]
    out = []
    for word in words:
        spots = [i for i, ch in enumerate(word) if ch in table]
        if not spots or all(ord(ch) in CONFUSABLES for ch in word):
            out.append(word)
            continue
        chosen = rng.sample(spots, rng.randint(1, len(spots)))
        out.append("".join(table[ch] if i in chosen else ch for i, ch in enumerate(word)))
    return " ".join(out) if out != words else None


def leet_in_host(term: Term, rng: random.Random) -> str | None:
    """A leet digit for an inner vowel of each long word of a Cyrillic or Greek term: "к0сть"."""
    words = _host_words(term)
    if words is None:
        return None
    table = LEET_FOR[script(words[0])]
    out = []
    for word in words:
        spots = [i for i in range(1, len(word) - 1) if word[i] in table and len(word) >= 4]
        if not spots:
            out.append(word)
            continue
        i = rng.choice(spots)
        out.append(word[:i] + rng.choice(table[word[i]]) + word[i + 1:])
    return " ".join(out) if out != words else None


def alternating(term: Term, rng: random.Random) -> str | None:
    """Every letter in turn upper and lower case ("KuKaNg JaWa", "ЛоРи"), in cased scripts, the
    first letter's case at random (the term as written: accents stay)."""
    key = term.term
    if len([ch for ch in key if ch.isalpha()]) < 4 or not all(ch.lower() != ch.upper() for ch in key if ch.isalpha()):
        return None
    upper = rng.random() < 0.5
    out = []
    for ch in key:
        if ch.isalpha():
            out.append(ch.upper() if upper else ch.lower())
            upper = not upper
        else:
            out.append(ch)
    written = "".join(out)
    # The case-folded spelling must be the key (ß, final sigma and the like change under upper()).
    return written if written.casefold() == key.casefold() and len(written) == len(key) else None


def compound(term: Term, rng: random.Random) -> str | None:
    """The term joined to one of its context words as one word, where the language writes
    compounds ("Elfenbeinschnitzerei", "ivoorsnijwerk")."""
    words = [p for p in term.context if not p.startswith("@")]
    keys = languages.compounds(_key(term), [normalize_key(p, languages.view_for(term.lang)) for p in words], term.lang)
    return rng.choice(keys) if keys else None


def separated(term: Term, rng: random.Random) -> str | None:
    sep = rng.choice(SEPARATORS)
    key = _key(term)
    if languages.unspaced(key):
        chars = key.replace(" ", "")
        if len(chars) < 2 or not all(ch.isalpha() and is_unspaced(ch) for ch in chars) or script(key) == "thai":
            return None
        return rng.choice([" ", ".", "\u3002"]).join(chars)
    words = _latin_words(term)
    if words is None:
        return None
    return " ".join(sep.join(word) for word in words)


def leet(term: Term, rng: random.Random) -> str | None:
    words = _latin_words(term)
    if words is None:
        return None
    out = []
    for word in words:
        # Inner letters with letters (not the same letter) on both sides: "iv0ry".
        spots = [
            i for i in range(1, len(word) - 1)
            if word[i] in LEETABLE and word[i - 1] != word[i] != word[i + 1]
        ]
        rng.shuffle(spots)
        chosen: list[int] = []
        for i in spots:
            if len(chosen) < max(1, (len(word) - 1) // 3) and all(abs(i - j) > 1 for j in chosen):
                chosen.append(i)
        out.append("".join(rng.choice(LEETABLE[ch]) if i in chosen else ch for i, ch in enumerate(word)))
    return " ".join(out) if out != words else None


def leet_every_word(term: Term, rng: random.Random) -> str | None:
    """A leet digit in every word of the term that may take one, short words too ("c0rn3 d3
    rh1n0c3r0s"). As the matcher reads them, a word of two or three letters takes only a digit
    standing for a vowel (0, 1, 3, 4: s8, i7 are model numbers), and not as the first of two
    letters (3d, 4k are sizes); a word of one letter stays as it is (a lone digit is a number)."""
    words = _latin_words(term)
    if words is None or len(words) < 2:
        return None
    out = []
    for word in words:
        spots = [
            i for i, ch in enumerate(word)
            if LEET_DIGITS.get(ch) and len(word) > 1 and not (len(word) == 2 and i == 0)
            and (len(word) > 3 or any(d in "0134" for d in LEET_DIGITS[ch]))
        ]
        if not spots:
            out.append(word)
            continue
        i = rng.choice(spots)
        digits = LEET_DIGITS[word[i]] if len(word) > 3 else [d for d in LEET_DIGITS[word[i]] if d in "0134"]
        out.append(word[:i] + rng.choice(digits) + word[i + 1:])
    if out == words:
        return None
    # A short word in leet is read only beside another disguised word, or one short plain word
    # away from a longer one ("apd0 ng 0so"); alone ("cu l1") or two apart ("ru4 buc x4") it
    # is a size or a model number.
    leet = [w != o for w, o in zip(words, out, strict=True)]
    long_leet = any(changed and len(w) > 3 for w, changed in zip(words, leet, strict=True))
    side_by_side = any(a and b for a, b in itertools.pairwise(leet))
    return " ".join(out) if long_leet or side_by_side else None


def leet_spaced(term: Term, rng: random.Random) -> str | None:
    """One word spelled out letter by letter with a leet digit among its inner letters:
    "r h 1 n o horn"."""
    words = _latin_words(term)
    if words is None:
        return None
    # Not next to a word of one letter: it would join the spelled-out run ("a c o l 1 e r").
    lone = {w for w, word in enumerate(words) if len(word) == 1}
    candidates = [
        (w, i) for w, word in enumerate(words) for i in range(1, len(word) - 1)
        if LEET_DIGITS.get(word[i]) and len(word) >= 4 and not {w - 1, w + 1} & lone
    ]
    if not candidates:
        return None
    w, i = rng.choice(candidates)
    word = words[w]
    letters = [*word[:i], rng.choice(LEET_DIGITS[word[i]]), *word[i + 1:]]
    return " ".join([*words[:w], " ".join(letters), *words[w + 1:]])


def umlaut(term: Term, rng: random.Random) -> str | None:
    """German umlauts written out as on a keyboard without them: Bärengalle -> Baerengalle."""
    if languages.primary(term.lang) != "de" or not any(ch in UMLAUTS for ch in term.term.lower()):
        return None
    out = []
    for ch in term.term:
        written = UMLAUTS.get(ch.lower())
        out.append(ch if written is None else written.capitalize() if ch.isupper() else written)
    return "".join(out)


def repeated(term: Term, rng: random.Random) -> str | None:
    words = _latin_words(term)
    if words is None:
        return None
    spots = [(w, i) for w, word in enumerate(words) for i, ch in enumerate(word) if ch in "aeiou"]
    if not spots:
        return None
    w, i = rng.choice(spots)
    words = list(words)
    words[w] = words[w][:i] + words[w][i] * rng.randint(3, 6) + words[w][i + 1:]
    return " ".join(words)


def repeated_accented(term: Term, rng: random.Random) -> str | None:
    """A vowel with its diacritics typed several times, tones kept: "cao hổổổ", "marfííl"."""
    key = _key(term)
    folded = fold(key)
    if not folded.isascii() or not all(w.isalpha() for w in folded.split(" ")) or not languages.lossy_allowed(folded):
        return None
    spots = [i for i, ch in enumerate(key) if not ch.isascii() and fold(ch) in "aeiou"]
    if not spots:
        return None
    i = rng.choice(spots)
    return key[:i] + key[i] * rng.randint(3, 6) + key[i + 1:]


def toneless(term: Term, rng: random.Random) -> str | None:
    key = _key(term)
    if not languages.strict_diacritics(term.lang) or fold(key) == key or not languages.toneless_allowed(key):
        return None
    return fold(term.term)


def script_variant(term: Term, rng: random.Random) -> str | None:
    if not han.HAN.search(term.term):
        return None
    spellings = han.equivalents(term.term)
    return rng.choice(spellings) if spellings else None


def hashtag(term: Term, rng: random.Random) -> str | None:
    key = _key(term)
    glued = key.replace(" ", "")
    if not languages.hashtag_allowed(term, glued) or not glued.isalpha():
        return None
    if rng.random() < 0.5 and " " in key and key.isascii():
        return "".join(w[:1].upper() + w[1:] for w in key.split(" "))  # camel-cased, no #
    return glued


def emoji(term: Term, rng: random.Random) -> str | None:
    return term.term if term.kind is Kind.EMOJI else None


FAMILIES: dict[str, Callable[[Term, random.Random], str | None]] = {
    "exact": exact, "upper": upper, "fullwidth": fullwidth, "zero_width": zero_width,
    "zero_width_space": zero_width_space,
    "confusable": confusable, "confusable_greek": confusable_greek, "separated": separated,
    "leet": leet, "leet_every_word": leet_every_word, "leet_spaced": leet_spaced, "umlaut": umlaut,
    "latin_in_host": latin_in_host, "leet_in_host": leet_in_host, "alternating": alternating,
    "compound": compound,
    "repeated": repeated, "repeated_accented": repeated_accented,
    "toneless": toneless, "script_variant": script_variant, "hashtag": hashtag, "emoji": emoji,
}


@dataclass(frozen=True)
class Case:
    term: Term
    family: str
    text: str
    start: int
    end: int


def context_word(term: Term, lexicon: Lexicon, rng: random.Random) -> str | None:
    """A phrase that satisfies the term's `context`, or None when it needs none."""
    if not term.context:
        return None
    plain = [c for c in term.context if not c.startswith("@")]
    if plain:
        return rng.choice(plain)
    concept = term.context[0][1:]
    options = sorted(lexicon.terms_of(concept), key=lambda t: (t.lang != "en", len(t.term), t.term))
    approved = [t.term for t in options if t.status.value == "approved"]
    return approved[0] if approved else None


def embed(term: Term, family: str, spelling: str, lexicon: Lexicon, rng: random.Random) -> Case:
    """`spelling` among filler words (and the context word the term needs), with its span."""
    kind = "vi" if languages.strict_diacritics(term.lang) else script(term.term)
    # An `@concept` exclusion stands for every term of that concept (everyday goods: "lamp").
    phrases = [
        t.term for p in term.exclude for t in (lexicon.terms_of(p[1:]) if p.startswith("@") else ())
    ] + [p for p in term.exclude if not p.startswith("@")]
    excluded = [fold(normalize_key(p)) for p in phrases]
    fillers = [
        w for w in FILLERS.get(kind, FILLERS["other"]) if not any(fold(w) in p for p in excluded)
    ]
    before = [rng.choice(fillers) for _ in range(rng.randint(0, 3))]
    after = [rng.choice(fillers) for _ in range(rng.randint(0, 3))]
    context = context_word(term, lexicon, rng)
    glue = "" if kind in {"han", "kana", "thai"} and family not in {"separated"} and rng.random() < 0.5 else " "
    head = glue.join(before) + (glue if before else "")
    if family == "hashtag":
        glued_excludes = [p.replace(" ", "") for p in excluded]
        tails = [
            t for t in HASHTAG_TAILS
            if not any(p in t + spelling.lower() or p in spelling.lower() + t for p in glued_excludes)
        ]
        tail = rng.choice(tails or HASHTAG_TAILS)
        if spelling[:1].isupper():  # camel-cased compound
            core, prefix, suffix = spelling, "", tail.capitalize()
        elif rng.random() < 0.5:
            core, prefix, suffix = spelling, "#", tail
        else:
            core, prefix, suffix = spelling, "#" + tail, ""
        head = " ".join(before) + (" " if before else "") + prefix
        start = len(head)
        text = head + core + suffix
    elif family == "emoji":
        start = len(head) + 1
        text = head + "x" + spelling + "y"
        core = spelling
    else:
        start = len(head)
        text = head + spelling
        core = spelling
    end = start + len(core)
    if context:
        text += " " + context
    if after:
        text += " " + glue.join(after)
    return Case(term, family, text, start, end)

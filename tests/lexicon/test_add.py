"""Adding a term: the file stays sorted, canonical and lint-clean, and the term is matched."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import VALID_LEXICON
from wildcli.errors import UsageError
from wildcli.lexicon import load_lexicon
from wildcli.lexicon.add import add_term
from wildcli.lexicon.canonical import SCHEMA_LINE, format_file
from wildcli.lexicon.loader import display_path
from wildcli.lexicon.validation import lint_lexicon
from wildcli.match.matcher import Matcher

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(VALID_LEXICON, tmp_path / "lex")
    return tmp_path / "lex"


def entry(**fields: Any) -> dict[str, Any]:
    return {
        "term": "elephant tusk", "kind": "name", "status": "approved",
        "sources": [{"title": "Seizure report", "url": "https://example.org/s", "year": 2025}],
        "examples": ["Whole elephant tusk, 3 kg"], "counter_examples": ["elephant tusk replica toy"],
        "exclude": ["replica"],
        **fields,
    }


def test_added_term_is_sorted_canonical_lint_clean_and_matched(root: Path) -> None:
    path = add_term(root, "ivory", "en", entry(), today=TODAY)
    assert path == root / "ivory" / "en.yaml"
    text = path.read_text("utf-8")
    assert format_file(path) == text
    terms = [line for line in text.split("\n") if line.startswith("  - term:")]
    assert "  - term: elephant tusk" in terms
    assert terms == sorted(terms, key=str.casefold)
    assert (
        "  - term: elephant tusk\n    kind: name\n    status: approved\n    sources:\n"
        "      - title: Seizure report\n        url: https://example.org/s\n        year: 2025\n"
        '    added: "2026-12-01"\n    exclude: ["replica"]\n    examples:\n      - "Whole elephant tusk, 3 kg"\n'
        '    counter_examples:\n      - "elephant tusk replica toy"\n'
    ) in text
    assert [p for p in lint_lexicon([root]) if p.location.path == display_path(path)] == []
    findings = Matcher(load_lexicon([root])).find("Selling a whole elephant tusk")
    assert [(f.concept, f.term) for f in findings] == [("ivory", "elephant tusk")]


def test_a_new_language_file_is_created_with_its_schema_line(root: Path) -> None:
    path = add_term(root, "ivory", "fr", entry(term="ivoire", examples=["Bracelet en ivoire"],
                                               counter_examples=[], exclude=[]), today=TODAY)
    first = path.read_text("utf-8").split("\n", 1)[0]
    match = SCHEMA_LINE.match(first)
    assert match is not None
    assert match.group(2) == "terms"
    assert (path.parent / f"{match.group(1)}terms.schema.json").resolve().is_file()
    assert [t.term for t in load_lexicon([root]).terms if t.lang == "fr"] == ["ivoire"]


def test_added_defaults_to_today(root: Path) -> None:
    path = add_term(root, "tiger_parts", "vi", entry(term="xương hổ", examples=[], counter_examples=[]))
    assert f'added: "{datetime.date.today().isoformat()}"' in path.read_text("utf-8")


def test_comments_of_the_file_are_kept(root: Path) -> None:
    path = root / "tiger_parts" / "vi.yaml"
    lines = path.read_text("utf-8").split("\n")
    lines.insert(1, "# Vietnamese terms, checked by the Hanoi office")
    path.write_text("\n".join(lines), "utf-8")
    add_term(root, "tiger_parts", "vi", entry(term="nanh hổ", examples=[], counter_examples=[]), today=TODAY)
    assert "# Vietnamese terms, checked by the Hanoi office\nterms:\n" in path.read_text("utf-8")


@pytest.mark.parametrize(
    ("concept", "lang", "fields", "message"),
    [
        ("dodo", "en", {}, "unknown concept 'dodo': there is no {root}/dodo/concept.yaml"),
        ("Ivory", "en", {}, "'Ivory' is not a concept id (snake_case, e.g. pangolin_scales)"),
        ("ivory", "english", {}, "'english' is not a BCP-47 language tag (e.g. vi, zh-Hans, pt-BR)"),
        ("ivory", "en", {"term": "Ivory"}, "'Ivory' is already in {root}/ivory/en.yaml:{line} as 'ivory'"),
        ("ivory", "en", {"sources": [{"title": "T", "url": "ftp://x", "year": 2020}]},
         "invalid term: sources[0].url: 'ftp://x' is not an http(s) URL"),
        ("ivory", "en", {"kind": "animal"}, "invalid term: kind: 'animal' is not one of: name, code_word, "
         "trade_name, slang, misspelling, obfuscation, transliteration, emoji, hashtag, scientific_name"),
        ("ivory", "en", {"colour": "white"}, "unknown field 'colour' (expected one of: term, kind, severity, "
         "status, sensitivity, sources, added, contributor, note, context, exclude, window, hashtag, examples, "
         "counter_examples)"),
        ("ivory", "en", {"status": "approved", "sources": []},
         "invalid term: sources: an approved term needs at least one source"),
    ],
)
def test_refusals_leave_the_file_alone(root: Path, concept: str, lang: str, fields: dict[str, Any],
                                       message: str) -> None:
    before = (root / "ivory" / "en.yaml").read_text("utf-8")
    with pytest.raises(UsageError) as caught:
        add_term(root, concept, lang, entry(**fields), today=TODAY)
    line = before.split("\n").index("  - term: ivory") + 1
    assert str(caught.value) == message.format(root=display_path(root), line=line)
    assert (root / "ivory" / "en.yaml").read_text("utf-8") == before


TRICKY = entry(
    term="ivory: \"real\" #1", note="Seen as 'white gold'; sellers write: DM", severity="review",
    context=["tusk", "carved", "@trade_context"], examples=["ivory: \"real\" #1 for sale, 2 kg"],
    counter_examples=["ivory-white paint"], sources=[{"title": "no", "url": "https://example.org/a?b=c#d", "year": 2024}],
)


@pytest.mark.parametrize("fields", [entry(), TRICKY, entry(term="象牙手镯", context=["出售"] * 1)],
                         ids=["plain", "tricky", "han"])
@pytest.mark.parametrize("lang", ["en", "vi", "xx"])
def test_adding_without_the_round_trip_writes_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fields: dict[str, Any], lang: str
) -> None:
    # Files without comments are written straight from their data; the round trip, which keeps
    # comments, must have given the very same file.
    import wildcli.lexicon.add as adding

    direct, slow = tmp_path / "direct", tmp_path / "slow"
    for target in (direct, slow):
        shutil.copytree(VALID_LEXICON, target)
    used: list[bool] = []
    real = adding._added_directly

    def spy(*args: Any) -> str | None:
        result = real(*args)
        used.append(result is not None)
        return result

    monkeypatch.setattr(adding, "_added_directly", spy)
    written = add_term(direct, "ivory", lang, dict(fields), today=TODAY).read_bytes()
    monkeypatch.setattr(adding, "_added_directly", lambda *args: None)
    assert add_term(slow, "ivory", lang, dict(fields), today=TODAY).read_bytes() == written
    assert used == [True]

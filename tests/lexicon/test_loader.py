"""Loading and layering lexicon directories; every failure carries its file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT, VALID_LEXICON
from wildcli.errors import LexiconError
from wildcli.lexicon import LexiconProblems, Status, load_lexicon
from wildcli.lexicon import loader as loader_module
from wildcli.lexicon.model import SourceKind
from wildcli.match.matcher import Matcher

INVALID = DATA / "lexicons" / "invalid"
KINDS = "name, code_word, trade_name, slang, misspelling, obfuscation, transliteration, emoji, hashtag, scientific_name"
FIELDS = ("term, kind, severity, status, sensitivity, sources, added, contributor, note, context, exclude, "
          "window, hashtag, examples, counter_examples")
SOURCES = "    sources:\n      - title: Overlay report\n        url: https://example.org/o\n        year: 2024\n"

EXPECTED = {
    "alias": "alias/pangolin/en.yaml:3: anchors and aliases are not allowed in lexicon files",
    "bad_date": "bad_date/pangolin/en.yaml:6: terms[0].added: '29/11/2026' is not a date (YYYY-MM-DD)",
    "bad_enum": f"bad_enum/pangolin/en.yaml:4: terms[0].kind: 'animal' is not one of: {KINDS}",
    "bad_lang_file_name": "bad_lang_file_name/pangolin/english.yaml: language files are named "
                          "<BCP-47 tag>.yaml, e.g. vi.yaml or zh-Hans.yaml",
    "bad_yaml": "bad_yaml/pangolin/en.yaml:5: invalid YAML: did not find expected ',' or ']'",
    "duplicate_key": "duplicate_key/pangolin/en.yaml:5: duplicate key 'kind'",
    "empty_status": "empty_status/pangolin/en.yaml:3: terms[0]: status is required (proposed, approved or retired)",
    "missing_concept_file": "missing_concept_file/pangolin: missing concept.yaml (needed unless an earlier "
                            "lexicon defines the concept)",
    "missing_sources": "missing_sources/pangolin/en.yaml:3: terms[0]: sources: an approved term needs at least one source",
    "tag": "tag/pangolin/en.yaml:3: YAML tag 'tag:yaml.org,2002:python/object:os.system' is not allowed",
    "unknown_field": f"unknown_field/pangolin/en.yaml:6: terms[0].colour: unknown field (expected one of: {FIELDS})",
}


@pytest.fixture(autouse=True)
def _at_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # messages show paths relative to the working directory


def errors_of(*dirs: Path, with_bundled: bool = False) -> list[str]:
    errors: list[LexiconError] = []
    load_lexicon(list(dirs), on_error=errors.append, with_bundled=with_bundled)
    return [str(e) for e in errors]


def test_every_invalid_fixture_is_covered() -> None:
    assert sorted(p.name for p in INVALID.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_fixture_fails_with_one_located_message(name: str) -> None:
    assert errors_of(INVALID / name) == [f"tests/data/lexicons/invalid/{EXPECTED[name]}"]


def test_without_a_callback_all_problems_are_raised_together() -> None:
    with pytest.raises(LexiconProblems) as caught:
        load_lexicon([INVALID / "bad_enum", INVALID / "unknown_field"])
    assert len(caught.value.errors) == 2
    assert str(caught.value).endswith("(and 1 more problems)")


def test_valid_fixture_loads_cleanly() -> None:
    assert errors_of(VALID_LEXICON) == []
    lexicon = load_lexicon([VALID_LEXICON])
    assert sorted(lexicon.concepts) == ["ivory", "tiger_parts", "trade_context"]


def test_missing_directory_is_an_error() -> None:
    assert errors_of(Path("no/such/dir")) == ["no/such/dir: lexicon directory not found"]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_overlay_adds_terms_to_a_concept_it_does_not_define(tmp_path: Path) -> None:
    write(tmp_path / "ivory" / "fr.yaml",
          f"terms:\n  - term: ivoire\n    kind: name\n    status: approved\n{SOURCES}")
    assert errors_of(VALID_LEXICON, tmp_path) == []
    lexicon = load_lexicon([VALID_LEXICON, tmp_path])
    assert [f.term for f in Matcher(lexicon).find("Bracelet en ivoire ancien")] == ["ivoire"]


def test_overlay_retires_a_bundled_term(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader_module, "bundled_lexicon_dir", lambda: VALID_LEXICON)
    write(tmp_path / "ivory" / "vi.yaml", "terms:\n  - term: ngà voi\n    kind: name\n    status: retired\n")
    before = load_lexicon([])
    after = load_lexicon([tmp_path], with_bundled=True)
    assert [f.term for f in Matcher(before).find("Bán vòng ngà voi thật")] == ["ngà voi"]
    assert Matcher(after).find("Bán vòng ngà voi thật") == []
    (retired,) = [t for t in after.terms if t.term == "ngà voi"]
    assert retired.status is Status.RETIRED


def test_symlinked_file_escaping_the_lexicon_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "lex"
    shutil.copytree(VALID_LEXICON / "tiger_parts", root / "tiger_parts")
    outside = write(tmp_path / "secret.yaml", "terms: []\n")
    (root / "tiger_parts" / "en.yaml").symlink_to(outside)
    assert errors_of(root) == [f"{root}/tiger_parts/en.yaml: points outside its lexicon directory"]


def test_symlinked_concept_directory_escaping_the_lexicon_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "lex"
    root.mkdir()
    shutil.copytree(VALID_LEXICON / "tiger_parts", tmp_path / "elsewhere")
    (root / "tiger_parts").symlink_to(tmp_path / "elsewhere")
    assert errors_of(root) == [
        f"{root}/tiger_parts/concept.yaml: points outside its lexicon directory",
        f"{root}/tiger_parts/vi.yaml: points outside its lexicon directory",
    ]


def test_yaml_1_1_lookalikes_load_as_the_strings_written(tmp_path: Path) -> None:
    shutil.copytree(VALID_LEXICON / "tiger_parts", tmp_path / "tiger_parts")
    write(tmp_path / "tiger_parts" / "no.yaml",  # Norwegian: the file name and the term are both "no"
          "terms:\n  - term: no\n    kind: slang\n    status: proposed\n    added: 2024-05-01\n    note: on\n")
    assert errors_of(tmp_path) == []
    (term,) = [t for t in load_lexicon([tmp_path]).terms if t.lang == "no"]
    assert (term.term, term.added, term.note) == ("no", "2024-05-01", "on")


def test_a_source_carries_its_kind_and_quote(tmp_path: Path) -> None:
    write(tmp_path / "ivory" / "fr.yaml",
          "terms:\n  - term: ivoire\n    kind: name\n    status: approved\n    sources:\n"
          "      - title: Larousse, 'ivoire'\n        kind: dictionary\n        url: https://example.org/i\n"
          "        quote: \"Ivoire : matière dure des défenses d'éléphant.\"\n"
          "      - title: A report offline\n        kind: report\n        quote_missing: true\n")
    lexicon = load_lexicon([VALID_LEXICON, tmp_path])
    (term,) = [t for t in lexicon.terms if t.term == "ivoire"]
    first, second = term.sources
    assert (first.kind, first.quote, first.quote_missing) == (
        SourceKind.DICTIONARY, "Ivoire : matière dure des défenses d'éléphant.", False)
    assert (second.kind, second.quote, second.quote_missing) == (SourceKind.REPORT, None, True)


def test_a_bad_source_kind_a_long_quote_and_a_quote_marked_missing_are_located(tmp_path: Path) -> None:
    write(tmp_path / "ivory" / "fr.yaml",
          "terms:\n  - term: ivoire\n    kind: name\n    status: approved\n    sources:\n"
          "      - title: Mirror\n        kind: mirror\n"
          f"      - title: Long\n        quote: \"{'x' * 301}\"\n"
          "      - title: Both\n        quote: Ivoire.\n        quote_missing: true\n")
    errors = [e.split(": ", 1)[1] for e in errors_of(VALID_LEXICON, tmp_path)]
    assert errors == [
        "terms[0].sources[0].kind: 'mirror' is not one of: publisher, encyclopedia, dictionary, report, "
        "study, news, platform_policy, law",
        "terms[0].sources[1].quote: longer than 300 characters; quote the sentence that shows the term",
        "terms[0].sources[2].quote_missing: a source with a quote is not missing one; remove quote_missing",
    ]


def test_a_query_scope_needs_a_cancelling_concept(tmp_path: Path) -> None:
    concept = tmp_path / "lex" / "looking"
    concept.mkdir(parents=True)
    head = "id: looking\nrole: context\nseverity: monitor\nlabels:\n  en: looking\ndescription: Pictures.\n"
    for extra, expected in [
        ("scope: queries\n", "looking/concept.yaml:7: scope: scope 'queries' limits where a concept cancels: "
                             "it needs 'cancels' too"),
        ("cancels: near\nscope: listings\n", "looking/concept.yaml:8: scope: 'listings' is not one of: all, queries"),
    ]:
        (concept / "concept.yaml").write_text(head + extra, "utf-8")
        assert [e.replace(str(tmp_path / "lex") + "/", "") for e in errors_of(tmp_path / "lex")] == [expected]
    (concept / "concept.yaml").write_text(head + "cancels: near\nscope: queries\n", "utf-8")
    assert errors_of(tmp_path / "lex") == []

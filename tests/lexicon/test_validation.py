"""Lint rules: one fixture lexicon per rule, each producing exactly its own problem lines."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT, VALID_LEXICON
from wildcli.errors import Location
from wildcli.lexicon.rules.citations import mirror_of, page_title
from wildcli.lexicon.scalars import hidden_characters
from wildcli.lexicon.validation import RULES, Problem, ProblemSeverity, lint_lexicon, lint_report

ISSUES = DATA / "lexicons" / "issues"
INVALID = DATA / "lexicons" / "invalid"
FIELDS = ("term, kind, severity, status, sensitivity, sources, added, contributor, note, context, exclude, "
          "window, hashtag, examples, counter_examples")


def fmt_hint(rule: str) -> str:
    return f"(run `wildcli fmt tests/data/lexicons/issues/{rule}/pangolin/en.yaml`)"


EXPECTED = {
    "WL001": ["pangolin/en.yaml:24: terms[1].colour: unknown field (expected one of: " + FIELDS + ")"],
    "WL002": ["pangolin/en.yaml:16: terms[1].term: 'Pangolin Scales' duplicates 'pangolin scales' at "
              "tests/data/lexicons/issues/WL002/pangolin/en.yaml:3 (both normalise to 'pangolin scales')"],
    "WL003": ["tcm/en.yaml:3: terms[0].term: 'Pangolin Scales' is also a term of concept 'pangolin' at "
              "tests/data/lexicons/issues/WL003/pangolin/en.yaml:3 (both normalise to 'pangolin scales')"],
    "WL004": ["pangolin/concept.yaml:8: examples[0]: example 'armadillo shell' matches no term of concept 'pangolin'",
              "pangolin/en.yaml:13: terms[0].examples[0]: example 'pangolin scale tea' does not match "
              "'pangolin scales': not found"],
    "WL005": ["pangolin/concept.yaml:10: counter_examples[0]: counter-example 'pangolin scales documentary' "
              "matches concept 'pangolin' through 'pangolin scales' at 'pangolin scales'",
              "pangolin/en.yaml:14: terms[0].counter_examples[0]: counter-example 'fake pangolin scales' "
              "matches 'pangolin scales' at 'pangolin scales' (matched)"],
    "WL006": ["pangolin/en.yaml:16: terms[1].sources: an approved term needs at least one source"],
    "WL007": ["pangolin/en.yaml:16: terms[1].sources: a proposed term needs a source before it can be approved"],
    "WL008": ["pangolin/en.yaml:11: terms[1].term: 'pangolin scales' is out of order: terms are sorted by "
              f"their casefolded text {fmt_hint('WL008')}"],
    "WL009": [f"pangolin/en.yaml:12: not in canonical format {fmt_hint('WL009')}"],
    "WL010": ["pangolin/en.yaml:1: the first line must be `# yaml-language-server: $schema=<path>/terms.schema.json` "
              f"{fmt_hint('WL010')}"],
    "WL011": ["pangolin/en.yaml:11: terms[0].note: U+202E RIGHT-TO-LEFT OVERRIDE at offset 8: "
              "allowed only in terms of kind obfuscation"],
    "WL012": ["pangolin/en.yaml:16: terms[1].term: 'The' is a common en word and would match far too much",
              "pangolin/en.yaml:24: terms[2].term: 'x' is a single letter of a spaced script and would match far too much",
              "pangolin/en.yaml:32: terms[3].term: '\\u200b' is empty once invisible characters are removed "
              "and would match far too much"],
    "WL013": ["pangolin/en.yaml:11: terms[0].context[0]: '@selling' names no concept of the lexicon"],
    "WL014": ["pangolin/concept.yaml:4: labels: no label for 'id', a language the concept has terms in"],
    "WL015": ["pangolin/id.yaml:2: terms: no term in this file has an example or a counter-example",
              "tcm/concept.yaml:2: no example and no counter-example in the concept or its terms: nothing tests it"],
    "WL016": ["pangolin/fr.yaml:3: terms[0].term: 'pangolin scales' is also a term of language 'en' at "
              "tests/data/lexicons/issues/WL016/pangolin/en.yaml:3: each match is reported twice, "
              "consider keeping one (or und.yaml)"],
    "WL017": ["pangolin/en.yaml:3: terms[0].term: '- / -' has no letter, digit, emoji or currency sign and would "
              "match in almost every listing",
              "pangolin/en.yaml:11: terms[1].term: '...' has no letter, digit, emoji or currency sign and would "
              "match in almost every listing",
              "pangolin/en.yaml:27: terms[2].context[0]: '...' has no letter, digit, emoji or currency sign and "
              "would count as context in almost every listing",
              "pangolin/en.yaml:28: terms[2].exclude[1]: '--' has no letter, digit, emoji or currency sign and "
              "would cancel the term in almost every listing"],
    "WL018": ["pangolin/en.yaml:11: terms[0].sources[1].url: wikimili.com is a copy of Wikipedia or Wiktionary; "
              "cite the original page",
              "pangolin/en.yaml:18: terms[1].sources[0].url: docslib.org is a document-sharing site holding a copy "
              "of a report; cite the original page",
              "pangolin/en.yaml:20: terms[1].sources[1].url: 5.39.217.76 is a copy on a bare server address; cite "
              "the original page"],
    "WL019": ["pangolin/en.yaml:9: terms[0].sources[0].url: the page is about 'Sunda pangolin' (Manis javanica), "
              "not 'Chinese pangolin scales' (Manis pentadactyla); cite the page about the term",
              "pangolin/en.yaml:37: terms[3].sources[0].url: the page is about 'Chinese pangolin' (Manis "
              "pentadactyla), not 'Sunda pangolin' (Manis javanica); cite the page about the term"],
    "WL020": ["pangolin/en.yaml:6: terms[0].sources: a code_word needs the sentence of its source that shows it "
              "(quote:), or quote_missing: true on a source whose text cannot be found"],
    # 'mahar' has a context of its own; 'legalizado' in two languages is no WL016 in a context concept.
    "WL021": ["selling/id.yaml:39: terms[3].term: 'nego' is short or an everyday word: as evidence of an offer "
              "it needs a context of its own (context: a price, a sale word) or the whole phrase it is used in"],
}


@pytest.fixture(autouse=True)
def _at_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_rule_ids_are_unique_and_each_has_a_fixture() -> None:
    ids = [rule.rule_id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert sorted(p.name for p in ISSUES.iterdir()) == ids == sorted(EXPECTED)
    assert all(rule.description and rule.severity in ProblemSeverity for rule in RULES)


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_fixture_produces_exactly_its_rule(rule: str) -> None:
    problems = lint_lexicon([ISSUES / rule])
    prefix = f"tests/data/lexicons/issues/{rule}/"
    assert [str(p) for p in problems] == [f"{prefix}{line} [{rule}]" for line in EXPECTED[rule]]
    severity = next(r.severity for r in RULES if r.rule_id == rule)
    assert {p.severity for p in problems} == {severity}


def test_valid_fixture_lints_clean() -> None:
    report = lint_report([VALID_LEXICON])
    assert len(report.files) == 8
    assert [str(p) for p in report.problems] == []


@pytest.mark.parametrize("name", sorted(p.name for p in INVALID.iterdir()))
def test_load_errors_are_reported_with_locations_not_raised(name: str) -> None:
    problems = lint_lexicon([INVALID / name])
    loads = [p for p in problems if p.rule_id in {"WL001", "WL006"}]
    assert len(loads) == 1
    assert loads[0].location.path.startswith(f"tests/data/lexicons/invalid/{name}/pangolin")
    assert loads[0].severity is ProblemSeverity.ERROR


def test_approved_without_sources_is_reported_once() -> None:
    problems = lint_lexicon([INVALID / "missing_sources"])
    assert [p.rule_id for p in problems if "source" in p.message] == ["WL006"]


def test_missing_directory_is_a_problem_not_a_crash() -> None:
    assert [str(p) for p in lint_lexicon(["no/such/dir"])] == ["no/such/dir: lexicon directory not found [WL001]"]


def test_problem_renders_as_one_line() -> None:
    problem = Problem("WL999", ProblemSeverity.ERROR, Location("a.yaml", 3, field="terms[0]"), "bad")
    assert str(problem) == "a.yaml:3: terms[0]: bad [WL999]"
    assert str(Problem("WL999", ProblemSeverity.ERROR, Location("a.yaml"), "bad")) == "a.yaml: bad [WL999]"


def copy_valid(tmp_path: Path) -> Path:
    root = tmp_path / "lex"
    shutil.copytree(VALID_LEXICON, root)
    return root


def test_hidden_character_in_a_comment_is_found(tmp_path: Path) -> None:
    root = copy_valid(tmp_path)
    path = root / "tiger_parts" / "vi.yaml"
    lines = path.read_text("utf-8").split("\n")
    lines.insert(2, "  # reviewed \u2067by\u2069 the team")
    path.write_text("\n".join(lines), "utf-8")
    hidden = [str(p) for p in lint_lexicon([root]) if p.rule_id == "WL011"]
    assert hidden == [f"{path}:3: U+2067 RIGHT-TO-LEFT ISOLATE at column 14 (a comment or key hides it) [WL011]"]


def test_proposed_terms_are_tested_as_if_approved(tmp_path: Path) -> None:
    root = copy_valid(tmp_path)
    path = root / "tiger_parts" / "vi.yaml"
    path.write_text(path.read_text("utf-8").replace("status: approved", "status: proposed"), "utf-8")
    assert [p.rule_id for p in lint_lexicon([root]) if p.rule_id in {"WL004", "WL005"}] == []
    path.write_text(path.read_text("utf-8").replace("Bán cao hổ cốt", "Bán cao hồ cốt"), "utf-8")
    assert [p.rule_id for p in lint_lexicon([root]) if p.rule_id in {"WL004", "WL005"}] == ["WL004"]


def test_context_concept_terms_are_tested_through_their_decisions(tmp_path: Path) -> None:
    root = copy_valid(tmp_path)
    path = root / "trade_context" / "en.yaml"
    path.write_text(path.read_text("utf-8") + '    examples:\n      - "still for sale"\n', "utf-8")
    assert [p.rule_id for p in lint_lexicon([root])] == []


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("iv\u200bory", [2]),
        ("\u202eevil", [0]),
        ("soft\u00adhyphen", [4]),
        ("\ufeffbom", [0]),
        ("می\u200cخواهم", []),  # Persian needs the zero-width non-joiner
        ("👨\u200d👩\u200d👧", []),  # emoji family sequence
        ("iv\u200dory", [2]),  # a joiner between Latin letters hides a word break
        ("ivory\u200d", [5]),
    ],
)
def test_hidden_characters(text: str, hidden: list[int]) -> None:
    assert hidden_characters(text) == hidden


def test_bundled_lexicon_loads_for_lint() -> None:
    if not any((ROOT / "lexicons").glob("*/concept.yaml")):
        pytest.skip("the bundled lexicon has no concepts yet")
    report = lint_report([])
    assert [str(p) for p in report.problems if p.rule_id in {"WL001", "WL006"}] == []


@pytest.mark.parametrize(
    ("url", "mirror"),
    [
        ("https://wikimili.com/en/Black_rhinoceros", True),
        ("https://de.zxc.wiki/wiki/Bekko", True),  # a subdomain of a listed host
        ("http://ec2-44-227-94-153.us-west-2.compute.amazonaws.com/a1/2007/0313-91.html", True),
        ("http://5.39.217.76/viewthread.php?tid=1", True),
        ("https://en.wikipedia.org/wiki/Black_rhinoceros", False),
        ("https://www.traffic.org/publications/reports/shell-shocked/", False),
        ("https://notwikimili.com/en/Pangolin", False),  # only the host itself or its subdomains
    ],
)
def test_mirror_hosts(url: str, mirror: bool) -> None:
    assert (mirror_of(url) is not None) is mirror


def test_page_titles_of_wiki_urls_and_their_mirrors() -> None:
    assert page_title("https://en.wikipedia.org/wiki/White_rhinoceros#Horn") == "White rhinoceros"
    assert page_title("https://de.wikipedia.org/wiki/Wei%C3%9Fhandgibbon") == "Weißhandgibbon"
    assert page_title("https://friendlywiki.com/article/index.php?title=lar_gibbon") == "lar gibbon"
    assert page_title("https://www.traffic.org/publications/reports/white-rhinoceros") is None


def test_bundled_lexicon_cites_no_mirror_and_no_page_about_another_species() -> None:
    problems = [str(p) for p in lint_lexicon(["lexicons"]) if p.rule_id in {"WL018", "WL019"}]
    assert problems == []

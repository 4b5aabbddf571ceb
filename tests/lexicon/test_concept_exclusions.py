"""A concept's `exclude`: its known benign senses, inherited by every term in every language.

Each test builds two copies of the valid fixture lexicon, one with the exclusions on the concept
and one without (or with them written on each term), and compares what the loader, the matcher,
lint and the exports make of them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from tests.conftest import VALID_LEXICON
from wildcli.exporters import ExportFormat
from wildcli.exporters.selection import ExportOptions, render_export
from wildcli.lexicon import Lexicon, load_lexicon
from wildcli.lexicon.actions import Action
from wildcli.lexicon.validation import lint_lexicon
from wildcli.match.matcher import Matcher
from wildcli.simulation import load_applier

# The colour sense of ivory, written once for the concept, in three languages.
SENSES = ["ivory white", "象牙白", "màu ngà"]
# An English term next to the Chinese colour word: only the concept's exclusion reaches it.
COLOUR_ONLY_IN_ZH = "elephant ivory phone case, colour 象牙白"


def _copy(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    shutil.copytree(VALID_LEXICON, root)
    return root


def _with_concept_exclude(root: Path, entries: list[str]) -> Path:
    path = root / "ivory" / "concept.yaml"
    flow = ", ".join(json.dumps(e, ensure_ascii=False) for e in entries)
    text = path.read_text("utf-8").replace("examples:\n", f"exclude: [{flow}]\nexamples:\n", 1)
    path.write_text(text, "utf-8")
    return root


def _term(lexicon: Lexicon, lang: str, text: str):  # type: ignore[no-untyped-def]
    return next(t for t in lexicon.terms if t.concept == "ivory" and t.lang == lang and t.term == text)


def test_every_term_of_every_language_inherits_the_concept_exclusions(tmp_path: Path) -> None:
    lexicon = load_lexicon([_with_concept_exclude(_copy(tmp_path, "lex"), SENSES)])
    vi = _term(lexicon, "vi", "ngà voi")
    assert (vi.exclude, vi.own_exclude, vi.inherited_exclude) == (tuple(SENSES), (), tuple(SENSES))
    # A term's own exclusions come first, and one it already has is not repeated.
    zh = _term(lexicon, "zh-Hans", "象牙")
    assert zh.exclude == ("象牙白", "ivory white", "màu ngà")
    assert zh.own_exclude == ("象牙白",)
    en = _term(lexicon, "en", "ivory")
    assert en.exclude == ("ivory coast", "ivory white", "wedding dress", "象牙白", "màu ngà")
    # Other concepts inherit nothing.
    assert all(not t.inherited_exclude for t in lexicon.terms if t.concept != "ivory")


def test_the_matcher_applies_an_inherited_exclusion_in_another_language(tmp_path: Path) -> None:
    plain = load_lexicon([_copy(tmp_path, "plain")])
    inherited = load_lexicon([_with_concept_exclude(_copy(tmp_path, "lex"), SENSES)])
    assert [f.term for f in Matcher(plain).find(COLOUR_ONLY_IN_ZH)] == ["elephant ivory"]
    assert Matcher(inherited).find(COLOUR_ONLY_IN_ZH) == []
    rejected = [d for d in Matcher(inherited).decide(COLOUR_ONLY_IN_ZH) if d.term.term == "elephant ivory"]
    assert [d.reason for d in rejected] == ["excluded by '象牙白'"]
    # The product itself is still found.
    assert [f.term for f in Matcher(inherited).find("elephant ivory tusk")] == ["elephant ivory"]


def test_a_later_layer_that_replaces_the_concept_replaces_what_its_terms_inherit(tmp_path: Path) -> None:
    base = _with_concept_exclude(_copy(tmp_path, "base"), SENSES)
    overlay = tmp_path / "overlay" / "ivory"
    overlay.mkdir(parents=True)
    concept = (base / "ivory" / "concept.yaml").read_text("utf-8")
    (overlay / "concept.yaml").write_text(concept.replace('"màu ngà"', '"màu trắng ngà"'), "utf-8")
    lexicon = load_lexicon([base, overlay.parent])
    assert _term(lexicon, "vi", "ngà voi").exclude == ("ivory white", "象牙白", "màu trắng ngà")


def _rules(lexicon: Lexicon) -> list[dict[str, object]]:
    result = render_export(lexicon, ExportFormat.JSON, ExportOptions(concepts=frozenset({"ivory"})))
    terms = json.loads(result.texts())["terms"]
    assert isinstance(terms, list)
    return terms


def test_exports_carry_inherited_exclusions_exactly_as_written_ones(tmp_path: Path) -> None:
    inherited = load_lexicon([_with_concept_exclude(_copy(tmp_path, "lex"), SENSES)])
    written = _copy(tmp_path, "written")
    for name in ("en.yaml", "vi.yaml", "zh-Hans.yaml"):
        path = written / "ivory" / name
        data = yaml.safe_load(path.read_text("utf-8"))
        for entry in data["terms"]:  # the same exclusions, written on each term after its own
            own = entry.get("exclude", [])
            entry["exclude"] = own + [s for s in SENSES if s not in own]
        path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    by_hand = load_lexicon([written])
    assert [t.exclude for t in by_hand.terms] == [t.exclude for t in inherited.terms]
    assert _rules(inherited) == _rules(by_hand)
    assert all("象牙白" in rule["exclude"] for rule in _rules(inherited))  # type: ignore[operator]


def test_the_rules_export_applied_as_its_target_applies_it_leaves_the_sense_alone(tmp_path: Path) -> None:
    plain = load_lexicon([_copy(tmp_path, "plain")])
    inherited = load_lexicon([_with_concept_exclude(_copy(tmp_path, "lex"), SENSES)])
    verdicts = {}
    for name, lexicon in (("plain", plain), ("inherited", inherited)):
        applier = load_applier(render_export(lexicon, ExportFormat.JSON))
        verdicts[name] = (applier.apply(COLOUR_ONLY_IN_ZH).action, applier.apply("elephant ivory tusk").action)
    assert verdicts == {"plain": (Action.BLOCK, Action.BLOCK), "inherited": (Action.ALLOW, Action.BLOCK)}


def test_a_counter_example_must_hold_against_the_terms_of_other_languages(tmp_path: Path) -> None:
    root = _copy(tmp_path, "lex")
    path = root / "ivory" / "vi.yaml"
    # A Vietnamese counter-example that the English term `elephant ivory` matches.
    leak = "Tranh voi: elephant ivory tusk"
    path.write_text(path.read_text("utf-8").replace('- "Ngày hội voi Buôn Đôn"', f'- "{leak}"'), "utf-8")
    problems = [str(p) for p in lint_lexicon([root]) if p.rule_id == "WL005"]
    assert problems == [
        f"{path}:15: terms[0].counter_examples[0]: counter-example {leak!r} matches 'ngà voi' "
        "(through en 'elephant ivory') at 'elephant ivory' (matched) [WL005]"
    ]
    # The concept's exclusion is the fix: it reaches the English term too.
    _with_concept_exclude(root, ["tranh voi"])
    assert [str(p) for p in lint_lexicon([root]) if p.rule_id == "WL005"] == []


def test_concept_exclusions_are_linted_on_the_concept(tmp_path: Path) -> None:
    root = _with_concept_exclude(_copy(tmp_path, "lex"), ["@colours", "--"])
    problems = [str(p) for p in lint_lexicon([root]) if p.rule_id in {"WL013", "WL017"}]
    concept = root / "ivory" / "concept.yaml"
    assert problems == [
        f"{concept}:13: exclude[0]: '@colours' names no concept of the lexicon [WL013]",
        f"{concept}:13: exclude[1]: '--' has no letter, digit, emoji or currency sign and would cancel "
        "every term of the concept in almost every listing [WL017]",
    ]

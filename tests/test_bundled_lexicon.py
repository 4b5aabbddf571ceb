"""The bundled lexicon as shipped: lint-clean, big enough, sourced, and documented for reviewers."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
import yaml

from tests.conftest import ROOT
from wildcli.lexicon import Kind, Lexicon, Role, Term, bundled_lexicon_dir, load_lexicon
from wildcli.lexicon.stats import lexicon_stats
from wildcli.lexicon.validation import ProblemSeverity, lint_lexicon

REQUIRED_CONCEPTS = {
    "ivory", "rhino_horn", "pangolin", "tiger_parts", "big_cat_parts", "turtle_shell", "bear_bile",
    "shark_fin", "totoaba_maw", "hornbill_casque", "shahtoosh", "musk", "saiga_horn", "seahorse",
    "giant_clam", "monitor_lizard_parts", "jackal_horn", "live_reptile", "live_primate", "live_bird",
    "trade_context",
}
# Warnings that are the lexicon working as designed: research rows kept as `proposed` because
# no source was found for them (lexicons/README.md, section 6) are meant to stay visible.
ACCEPTED_WARNINGS = {"WL007"}
SCIENTIFIC = re.compile(r"^[A-Z][a-z]+(?: [a-z]+(?:-[a-z]+)?){0,2}$")


@pytest.fixture(scope="module")
def bundled() -> Lexicon:
    return load_lexicon([], with_bundled=True)


def test_lints_without_errors() -> None:
    problems = lint_lexicon([bundled_lexicon_dir()])
    errors = [str(p) for p in problems if p.severity is ProblemSeverity.ERROR]
    assert errors == []
    unexpected = [str(p) for p in problems if p.rule_id not in ACCEPTED_WARNINGS]
    assert unexpected == []


def test_size_and_sources(bundled: Lexicon) -> None:
    stats = lexicon_stats(bundled)
    assert stats["concepts"] >= 20
    assert stats["languages"] >= 25
    assert stats["terms"] >= 700
    assert stats["unsourced_approved"] == 0
    assert all(s.title.strip() for t in bundled.active_terms() for s in t.sources)


def test_required_concepts_are_present(bundled: Lexicon) -> None:
    assert sorted(REQUIRED_CONCEPTS - set(bundled.concepts)) == []
    assert bundled.concepts["trade_context"].role is Role.CONTEXT


def test_every_product_concept_names_its_species(bundled: Lexicon) -> None:
    # trade_context holds selling phrases, which belong to no species.
    products = [c for c in bundled.concepts.values() if c.role is Role.PRODUCT]
    without = [c.id for c in products if not c.species]
    assert without == []
    # A taxon name: a capitalised genus, family or order, then at most two lower-case epithets.
    unnamed = [(c.id, s.scientific_name) for c in products for s in c.species
               if not SCIENTIFIC.match(s.scientific_name)]
    assert unnamed == []


def test_every_concept_has_a_label_for_each_language_of_its_terms(bundled: Lexicon) -> None:
    missing = sorted(
        (t.concept, t.lang) for t in bundled.terms
        if not bundled.concepts[t.concept].labels.get(t.lang, "").strip()
    )
    assert missing == []


def _has(terms: list[Term], attribute: str) -> bool:
    return any(getattr(t, attribute) for t in terms)


def test_every_concept_and_language_file_has_examples_and_counter_examples(bundled: Lexicon) -> None:
    files: dict[tuple[str, str], list[Term]] = defaultdict(list)
    for term in bundled.terms:
        files[(term.concept, term.lang)].append(term)
    lacking = [
        f"{concept}/{lang}.yaml: {attribute}"
        for (concept, lang), terms in sorted(files.items())
        for attribute in ("examples", "counter_examples")
        if not _has(terms, attribute)
    ]
    for concept in bundled.concepts.values():
        terms = list(bundled.terms_of(concept.id))
        lacking += [
            f"{concept.id}/concept.yaml: {attribute}"
            for attribute in ("examples", "counter_examples")
            if not getattr(concept, attribute) and not _has(terms, attribute)
        ]
    assert lacking == []


# The contributor workflow must follow the lexicon as it grows.

GITHUB = ROOT / ".github"


def test_new_term_form_offers_every_concept_and_kind(bundled: Lexicon) -> None:
    form = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / "new_term.yml").read_text("utf-8"))
    fields = {item.get("id"): item for item in form["body"]}
    concepts = set(fields["concept"]["attributes"]["options"]) - {"Not sure / none of these fits"}
    assert concepts == set(bundled.concepts)
    kinds = {option.split(":")[0] for option in fields["kind"]["attributes"]["options"]}
    assert kinds == {k.value for k in Kind}
    required = {i for i, item in fields.items() if item.get("validations", {}).get("required")}
    assert {"term", "language", "concept", "kind", "evidence_url", "example", "severity"} <= required


def test_codeowners_routes_every_language_to_a_reviewer_team(bundled: Lexicon) -> None:
    owners = {}
    for line in (GITHUB / "CODEOWNERS").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, *teams = line.split()
            owners[pattern] = teams
    routed = {
        lang: owners.get(f"/lexicons/**/{lang}.yaml", [])
        for lang in sorted({t.lang for t in bundled.terms})
    }
    assert {lang: teams for lang, teams in routed.items() if not teams} == {}
    assert all(teams[0].startswith("@wildcli/reviewers-") for teams in routed.values())
    assert owners["/wildcli/"] == ["@wildcli/maintainers"]


def test_pre_commit_runs_fmt_and_lint_on_lexicon_changes() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text("utf-8"))
    (local,) = [repo for repo in config["repos"] if repo["repo"] == "local"]
    hooks = {h["entry"]: h for h in local["hooks"]}
    assert set(hooks) == {"wildcli fmt", "wildcli lint"}
    # Each hook gets the changed concept and language files, all in one process.
    changed = ["lexicons/ivory/en.yaml", "lexicons/ivory/concept.yaml", "lexicons/README.md",
               "lexicons/known_false_positives.yaml", "wildcli/schema/terms.schema.json"]
    for hook in hooks.values():
        assert hook.get("pass_filenames", True)
        assert "args" not in hook
        assert hook["require_serial"] is True
        assert [p for p in changed if re.search(hook["files"], p)] == changed[:2]

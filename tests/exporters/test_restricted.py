"""`sensitivity: restricted` terms never reach a public export, in any format, unless asked for."""

from __future__ import annotations

import pytest

from tests.exporters.conftest import RESTRICTED_TERM, TEST_KEY, alone
from wildcli.exporters import ExportFormat, RenderOptions
from wildcli.exporters.hashed import digest
from wildcli.exporters.selection import (
    ExportOptions,
    feasibility_report,
    left_out_report,
    render_export,
    select_items,
)
from wildcli.lexicon import Lexicon, Sensitivity, Term

KEYED = RenderOptions(hmac_key=TEST_KEY)


def fake_variants(term: Term) -> list[tuple[str, str]]:
    return [(term.term.upper(), "upper"), (term.term.replace(" ", ""), "joined")]


def leaks(text: str) -> bool:
    # Undo the regex format's escapes so `white\s+gold\s+tusk` counts as the term too.
    folded = text.replace("\\s+", " ").replace("\\", "").casefold()
    return any(form in folded for form in (RESTRICTED_TERM, RESTRICTED_TERM.replace(" ", ""), "restricted source"))


def test_the_fixture_has_a_restricted_term(export_lexicon: Lexicon) -> None:
    [term] = [t for t in export_lexicon.terms if t.sensitivity is Sensitivity.RESTRICTED]
    assert term.term == RESTRICTED_TERM


@pytest.mark.parametrize("variants", [False, True])
@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_never_in_any_format_without_the_flag(fmt: ExportFormat, variants: bool, export_lexicon: Lexicon) -> None:
    options = ExportOptions(variants=variants, render=KEYED, statuses=frozenset(t.status for t in export_lexicon.terms))
    result = render_export(export_lexicon, fmt, options, variants=fake_variants, judge=alone)
    assert not any(leaks(part.text) for part in result.parts)
    report = [*left_out_report(result, examples=100), *feasibility_report(result, examples=100), *result.notes]
    assert not any(leaks(line) for line in report)
    assert result.restricted_left_out == (0 if fmt is ExportFormat.HASHED else 1)


def test_hashed_carries_it_as_a_keyed_hash_only(export_lexicon: Lexicon) -> None:
    text = render_export(export_lexicon, ExportFormat.HASHED, ExportOptions(render=KEYED)).parts[0].text
    assert f"{digest(TEST_KEY, RESTRICTED_TERM)}\tivory\tblock\n" in text


@pytest.mark.parametrize("fmt", [f for f in ExportFormat if f not in (ExportFormat.HASHED, ExportFormat.STOPWORDS)])
def test_exported_with_the_flag(fmt: ExportFormat, export_lexicon: Lexicon) -> None:
    result = render_export(export_lexicon, fmt, ExportOptions(include_restricted=True))
    assert any(leaks(part.text) for part in result.parts)


def test_no_variant_of_it_with_the_real_variant_rules(export_lexicon: Lexicon) -> None:
    from wildcli.discovery.variants import expand

    [term] = [t for t in export_lexicon.terms if t.sensitivity is Sensitivity.RESTRICTED]
    spellings = {v.text for v in expand(term)} | {RESTRICTED_TERM}
    options = ExportOptions(variants=True)
    lines = set(render_export(export_lexicon, ExportFormat.TXT, options).texts().splitlines())
    assert len(spellings) > 5
    assert not lines & spellings
    records = render_export(export_lexicon, ExportFormat.JSONL, options).texts()
    assert '"variant_rule": "leet"' in records
    assert RESTRICTED_TERM not in records


def test_a_variant_of_a_public_term_never_spells_it(export_lexicon: Lexicon) -> None:
    def spell_it(term: Term) -> list[tuple[str, str]]:
        return [(RESTRICTED_TERM.upper(), "evil"), (term.term + "!", "bang")]

    items = select_items(export_lexicon, ExportOptions(variants=True), variants=spell_it, judge=alone).items
    assert not any(leaks(i.text) for i in items)
    assert any(i.rule == "bang" for i in items)

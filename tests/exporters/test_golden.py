"""Every format against its golden file, rendered from the nasty export fixture lexicon."""

from __future__ import annotations

import pytest

from tests.exporters.conftest import TEST_KEY, Golden
from wildcli.export import ExportOptions, render_export
from wildcli.exporters import CsvDialect, ExportFormat, MatchType, RenderOptions, SynonymStyle
from wildcli.lexicon import Lexicon

KEYED = RenderOptions(hmac_key=TEST_KEY)
CASES: list[tuple[str, ExportFormat, ExportOptions]] = [
    *[(f.value, f, ExportOptions(render=KEYED)) for f in ExportFormat],
    ("csv-rfc4180", ExportFormat.CSV, ExportOptions(render=RenderOptions(csv_dialect=CsvDialect.RFC4180))),
    ("google-ads-exact", ExportFormat.GOOGLE_ADS, ExportOptions(render=RenderOptions(match_type=MatchType.EXACT))),
    ("solr-synonyms-explicit", ExportFormat.SOLR_SYNONYMS, ExportOptions(render=RenderOptions(synonyms=SynonymStyle.EXPLICIT))),
    ("txt-context-concept", ExportFormat.TXT, ExportOptions(concepts=frozenset({"trade_context"}))),
]
SUFFIX = {f: f.exporter.suffix for f in ExportFormat}


@pytest.mark.parametrize(("name", "fmt", "options"), CASES, ids=[c[0] for c in CASES])
def test_matches_golden_file(name: str, fmt: ExportFormat, options: ExportOptions, export_lexicon: Lexicon, golden: Golden) -> None:
    result = render_export(export_lexicon, fmt, options)
    assert len(result.parts) == 1
    golden(f"{name}{SUFFIX[fmt]}", result.parts[0])


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_two_renderings_are_byte_identical(fmt: ExportFormat, export_lexicon: Lexicon) -> None:
    options = ExportOptions(render=KEYED)
    assert render_export(export_lexicon, fmt, options) == render_export(export_lexicon, fmt, options)


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_output_is_nfc_utf8_text_without_bom(fmt: ExportFormat, export_lexicon: Lexicon) -> None:
    import unicodedata

    text = render_export(export_lexicon, fmt, ExportOptions(render=KEYED)).parts[0]
    assert unicodedata.is_normalized("NFC", text)
    assert not text.startswith("\ufeff")
    assert text.endswith("\n")

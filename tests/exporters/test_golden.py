"""Every format against its golden file, rendered from the nasty export fixture lexicon."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.exporters.conftest import GOLDEN, TEST_KEY, Golden
from wildcli.exporters import CsvDialect, ExportFormat, MatchType, RenderOptions, SynonymStyle
from wildcli.exporters.outputs import part_paths
from wildcli.exporters.selection import ExportOptions, render_export
from wildcli.lexicon import Lexicon, Severity

KEYED = RenderOptions(hmac_key=TEST_KEY)
CASES: list[tuple[str, ExportFormat, ExportOptions]] = [
    *[(f.value, f, ExportOptions(render=KEYED)) for f in ExportFormat],
    ("csv-rfc4180", ExportFormat.CSV, ExportOptions(render=RenderOptions(csv_dialect=CsvDialect.RFC4180))),
    ("google-ads-exact", ExportFormat.GOOGLE_ADS, ExportOptions(render=RenderOptions(match_type=MatchType.EXACT))),
    ("solr-synonyms-explicit", ExportFormat.SOLR_SYNONYMS, ExportOptions(render=RenderOptions(synonyms=SynonymStyle.EXPLICIT))),
    ("txt-context-concept", ExportFormat.TXT, ExportOptions(concepts=frozenset({"trade_context"}), min_severity=Severity.MONITOR)),
    ("json-contextual", ExportFormat.JSON, ExportOptions(include_contextual=True, min_severity=Severity.MONITOR)),
    ("regex-contextual", ExportFormat.REGEX, ExportOptions(include_contextual=True, render=RenderOptions(max_pattern_chars=2000))),
]
SUFFIX = {f: f.exporter.suffix for f in ExportFormat}


@pytest.mark.parametrize(("name", "fmt", "options"), CASES, ids=[c[0] for c in CASES])
def test_matches_golden_file(name: str, fmt: ExportFormat, options: ExportOptions, export_lexicon: Lexicon, golden: Golden) -> None:
    """One golden file per output file: `txt.txt` (block), `txt.warn.txt`, `txt.allow.txt` ..."""
    result = render_export(export_lexicon, fmt, options)
    for path, part in zip(part_paths(Path(f"{name}{SUFFIX[fmt]}"), result.parts), result.parts, strict=True):
        golden(path.name, part.text)


def test_every_golden_file_is_still_rendered(export_lexicon: Lexicon) -> None:
    """A golden file that no case renders any more is a leftover that would hide a lost output."""
    wanted = {
        path.name for name, fmt, options in CASES
        for path in part_paths(Path(f"{name}{SUFFIX[fmt]}"), render_export(export_lexicon, fmt, options).parts)
    }
    assert {p.name for p in GOLDEN.iterdir() if not p.name.startswith(".")} == wanted


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_two_renderings_are_byte_identical(fmt: ExportFormat, export_lexicon: Lexicon) -> None:
    options = ExportOptions(render=KEYED)
    assert render_export(export_lexicon, fmt, options) == render_export(export_lexicon, fmt, options)


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_output_is_nfc_utf8_text_without_bom(fmt: ExportFormat, export_lexicon: Lexicon) -> None:
    import unicodedata

    for part in render_export(export_lexicon, fmt, ExportOptions(render=KEYED)).parts:
        assert unicodedata.is_normalized("NFC", part.text)
        assert not part.text.startswith("\ufeff")
        assert part.text.endswith("\n") or not part.text

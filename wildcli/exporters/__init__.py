"""Blocklist exporters: one module per target format, chosen through the `ExportFormat` enum."""

from __future__ import annotations

import enum

from wildcli.exporters import (
    ads,
    azure,
    comma_list,
    csv_table,
    es_api,
    hashed,
    json_records,
    patterns,
    skos,
    solr,
    sql,
    stopwords,
    txt,
)
from wildcli.exporters.base import (
    CsvDialect,
    ExportContext,
    Exporter,
    ExportItem,
    LeftOut,
    MatchType,
    Rendering,
    RenderOptions,
    SynonymStyle,
)


class ExportFormat(str, enum.Enum):
    """Target formats; the CLI's `--format` choices. Every member has an exporter (tested)."""

    TXT = "txt"
    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"
    SOLR_SYNONYMS = "solr-synonyms"
    ES_SYNONYMS_API = "es-synonyms-api"
    STOPWORDS = "stopwords"
    REGEX = "regex"
    GOOGLE_ADS = "google-ads"
    MICROSOFT_ADS = "microsoft-ads"
    AZURE_BLOCKLIST = "azure-blocklist"
    COMMA_LIST = "comma-list"
    SKOS = "skos"
    HASHED = "hashed"
    SQL = "sql"

    @property
    def exporter(self) -> Exporter:
        return EXPORTERS[self]


EXPORTERS: dict[ExportFormat, Exporter] = {
    ExportFormat.TXT: txt.EXPORTER,
    ExportFormat.CSV: csv_table.EXPORTER,
    ExportFormat.JSON: json_records.JSON,
    ExportFormat.JSONL: json_records.JSONL,
    ExportFormat.SOLR_SYNONYMS: solr.EXPORTER,
    ExportFormat.ES_SYNONYMS_API: es_api.EXPORTER,
    ExportFormat.STOPWORDS: stopwords.EXPORTER,
    ExportFormat.REGEX: patterns.EXPORTER,
    ExportFormat.GOOGLE_ADS: ads.GOOGLE_ADS,
    ExportFormat.MICROSOFT_ADS: ads.MICROSOFT_ADS,
    ExportFormat.AZURE_BLOCKLIST: azure.EXPORTER,
    ExportFormat.COMMA_LIST: comma_list.EXPORTER,
    ExportFormat.SKOS: skos.EXPORTER,
    ExportFormat.HASHED: hashed.EXPORTER,
    ExportFormat.SQL: sql.EXPORTER,
}

__all__ = [
    "EXPORTERS",
    "CsvDialect",
    "ExportContext",
    "ExportFormat",
    "ExportItem",
    "Exporter",
    "LeftOut",
    "MatchType",
    "RenderOptions",
    "Rendering",
    "SynonymStyle",
]

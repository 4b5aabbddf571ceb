"""Coverage-guided fuzzing of the dump readers with atheris (libFuzzer): any bytes, any options,
records or InputErrors only. Run through `make fuzz`; arguments are libFuzzer's (-max_total_time...).
"""

from __future__ import annotations

import gzip
import io
import re
import sys

import atheris  # type: ignore[import-untyped]  # no stubs; optional, see make fuzz

with atheris.instrument_imports(include=["wildcli"]):
    from wildcli.errors import InputError
    from wildcli.readers import InputFormat, ReadOptions, read_records

_FORMATS = list(InputFormat)
_ENCODINGS = [None, "utf-8", "utf-16", "utf-16-be", "latin-1", "cp1252"]
_LIMITS = [4, 16, 64, 1024, 64 * 1024]
_FIELDS = [None, ("title",), ("seller.name", "title"), ("missing",)]
_MARKERS = re.compile("[\udc00-\udcff\ufdd0]")  # what undecodable bytes become inside the reader


def _options(data: atheris.FuzzedDataProvider) -> ReadOptions:
    return ReadOptions(
        format=_FORMATS[data.ConsumeIntInRange(0, len(_FORMATS) - 1)],
        encoding=_ENCODINGS[data.ConsumeIntInRange(0, len(_ENCODINGS) - 1)],
        max_record_bytes=_LIMITS[data.ConsumeIntInRange(0, len(_LIMITS) - 1)],
        fields=_FIELDS[data.ConsumeIntInRange(0, len(_FIELDS) - 1)],
        id_field=[None, "id", "sku"][data.ConsumeIntInRange(0, 2)],
    )


def test_one_input(raw: bytes) -> None:
    data = atheris.FuzzedDataProvider(raw)
    options = _options(data)
    wrap = data.ConsumeIntInRange(0, 2)  # 0: as is, 1: gzipped, 2: gzipped and cut short
    body = data.ConsumeBytes(data.remaining_bytes())
    if wrap:
        packed = gzip.compress(body, mtime=0)
        body = packed if wrap == 1 else packed[: max(2, len(packed) - 1 - len(body) % 17)]
    errors: list[InputError] = []
    last_row = 0
    try:
        for record in read_records("-", options, on_error=errors.append, stdin=io.BytesIO(body)):
            assert record.row > last_row, "record numbers go up"
            last_row = record.row
            assert record.id
            for text in record.fields.values():
                assert text
                assert not _MARKERS.search(text), "a bad-byte marker reached a record"
    except InputError as unusable:  # the whole input is unusable: raised, by contract
        errors.append(unusable)
    for problem in errors:
        assert "\n" not in str(problem), repr(str(problem))


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

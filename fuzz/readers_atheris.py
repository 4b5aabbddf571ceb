"""Coverage-guided fuzzing of the dump readers with atheris (libFuzzer): any bytes, any options,
with hostile shapes spliced in and damaged gzip around them, records or InputErrors only. Run
through `make fuzz`; arguments are libFuzzer's (-max_total_time...).
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


# What the fuzzer may splice into a dump: a number too long for Python's int (which crashed
# ijson's C backend) or for Decimal's exponent, nesting deep enough to cost memory in the square
# of the depth, a key written twice.
_SHAPES = [
    lambda n: b"9" * (4_290 + n % 3_000),
    lambda n: b"-1.5e" + b"7" * (17 + n % 40),
    lambda n: b"[" * (1_000 + n * 7 % 60_000),
    lambda n: b'{"a": ' * (1_000 + n * 7 % 60_000) + b"1" + b"}" * (1_000 + n * 7 % 60_000),
    lambda n: b'"title": "x", "title": ',
]


def _wrap(body: bytes, how: int) -> bytes:
    """0: as is; gzipped (1), and then cut short (2), followed by garbage (3), its CRC broken (4)."""
    if not how:
        return body
    packed = gzip.compress(body, mtime=0)
    if how == 2:
        return packed[: max(2, len(packed) - 1 - len(body) % 17)]
    if how == 3:
        return packed + b"\x00garbage"
    if how == 4:
        return packed[:-8] + bytes([packed[-8] ^ 0x40]) + packed[-7:]
    return packed


def test_one_input(raw: bytes) -> None:
    data = atheris.FuzzedDataProvider(raw)
    options = _options(data)
    wrap = data.ConsumeIntInRange(0, 4)
    shape = data.ConsumeIntInRange(0, len(_SHAPES))  # len(_SHAPES): none
    size = data.ConsumeIntInRange(0, 100_000)
    body = data.ConsumeBytes(data.remaining_bytes())
    if shape < len(_SHAPES):
        at = size % (len(body) + 1)
        body = body[:at] + _SHAPES[shape](size) + body[at:]
    body = _wrap(body, wrap)
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

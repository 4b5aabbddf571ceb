"""Output hygiene: text from listings must not be able to drive the analyst's terminal."""

from __future__ import annotations

import re

# C0/C1 controls except tab and newline, DEL, and the bidi embedding/override/isolate controls
# (CVE-2021-42574 "Trojan Source"): any of them lets a listing redraw or reorder what is shown.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    """Replace control and bidi characters with U+FFFD so their presence stays visible."""
    return _CONTROLS.sub("\ufffd", text)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formula(value: str) -> str:
    """Prefix a cell that a spreadsheet would run as a formula with a quote, as OWASP advises."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def restore_formula(cell: str) -> str:
    """The value `neutralize_formula` was given, for a pipeline reading the spreadsheet dialect
    back; a value that itself began with a quote and a formula character cannot be told apart."""
    return cell[1:] if cell[:1] == "'" and cell[1:].startswith(_FORMULA_START) else cell


# Characters that JSON may carry raw but that a terminal or editor would act on: C1 controls,
# bidi controls and the two Unicode line separators (raw in JSON, but line breaks to JavaScript).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escape_json_controls(encoded: str) -> str:
    """Escape, inside already-encoded JSON, the characters a viewer of the file would act on.

    The JSON still decodes to exactly the original text: only its spelling changes.
    """
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)


def json_text(value: object, *, indent: int | None = None) -> str:
    """JSON as wildcli writes it everywhere: real UTF-8 text, controls a viewer would act on
    escaped (see `escape_json_controls`), decoding to exactly `value`."""
    import json

    return escape_json_controls(json.dumps(value, ensure_ascii=False, indent=indent))

"""Traditional/Simplified Chinese equivalence from character tables generated from OpenCC.

`data/han_t2s.txt` maps each Traditional (or Taiwan/Hong Kong variant) character to its first
Simplified form. Two spellings are equivalent when they map to the same Simplified string
(熊膽 and 熊胆 both give 熊胆; 像牙 does not give 象牙, because 像 stays 像). Matching adds every
equivalent spelling of a key to the automaton, so Traditional text costs nothing at run time.
`data/han_s2t.txt` lists Traditional forms of Simplified characters, standard one first, for
`expand`. Both files are generated from OpenCC's dictionaries (Apache-2.0) by
`python -m wildcli.text.han`, which needs the `opencc` wheel (dev extra); at run time only the text
files are read (about 25 ms, once, and only for lexicons with Han terms).
"""

from __future__ import annotations

import itertools
import re
import subprocess
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path

T2S_FILE = "han_t2s.txt"
S2T_FILE = "han_s2t.txt"

# CJK ideographs that have a script variant at all; a cheap test before translating a text.
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


def _read(name: str) -> list[str]:
    return (resources.files("wildcli") / "data" / name).read_text("utf-8").splitlines()


@cache
def t2s_table() -> dict[int, str]:
    """`str.translate` table: Traditional character -> Simplified character."""
    return {ord(line[0]): line[1] for line in _read(T2S_FILE) if len(line) == 2}


@cache
def s2t_table() -> dict[str, str]:
    """Simplified character -> Traditional forms, the standard (OpenCC s2t) one first."""
    return {line[0]: line[1:] for line in _read(S2T_FILE) if len(line) > 1}


MAX_EQUIVALENTS = 256
"""Cap on the spellings added per key (a 4-character key rarely has more than 16)."""


def to_simplified(text: str) -> str:
    """Character-by-character Simplified form (same length as `text`)."""
    return text.translate(t2s_table()) if HAN.search(text) else text


@cache
def _spellings() -> dict[str, str]:
    """Simplified character -> every character whose Simplified form it is, itself first."""
    inverse: dict[str, str] = {}
    for source, target in t2s_table().items():
        inverse[target] = inverse.get(target, target) + chr(source)
    return inverse


def equivalents(text: str, limit: int = MAX_EQUIVALENTS) -> list[str]:
    """Every spelling of `text` with the same Simplified form, `text` excluded (熊胆 -> 熊膽)."""
    spellings = _spellings()
    choices = [spellings.get(ch, ch) for ch in to_simplified(text)]
    out = ("".join(combo) for combo in itertools.product(*choices))
    return [v for v in itertools.islice(out, limit + 1) if v != text][:limit]


def traditional_forms(text: str, limit: int = 8) -> list[str]:
    """Traditional spellings of a Simplified `text`, standard form first, `text` excluded.

    A character that is also valid Traditional (象, 台) keeps its own form besides the standard
    one; characters that must change (发 -> 發 or 髮) offer every Traditional form.
    """
    table = s2t_table()
    choices = []
    for ch in text:
        forms = table.get(ch, ch)
        choices.append("".join(dict.fromkeys(forms[0] + ch)) if ch in forms else forms)
    ranked = sorted(itertools.product(*(range(len(c)) for c in choices)), key=lambda i: (sum(i), i))
    out = ["".join(c[i] for c, i in zip(choices, idx, strict=True)) for idx in ranked]
    return [v for v in dict.fromkeys(out) if v != text][:limit]


def generate(out_dir: Path) -> None:
    """Rebuild both tables from the OpenCC dictionaries shipped in the `opencc` wheel."""
    import opencc  # type: ignore[import-not-found,unused-ignore]

    clib = Path(opencc.__file__).parent / "clib"
    dicts: dict[str, dict[str, list[str]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("STCharacters", "TSCharacters", "TWVariantsRev", "HKVariantsRev"):
            dump = Path(tmp) / f"{name}.txt"
            subprocess.run(
                [str(clib / "bin" / "opencc_dict"), "-i",
                 str(clib / "share" / "opencc" / f"{name}.ocd2"),
                 "-o", str(dump), "-f", "ocd2", "-t", "text"],
                check=True,
            )
            rows = (line.split("\t") for line in dump.read_text("utf-8").splitlines())
            dicts[name] = {key: values.split(" ") for key, values in rows}
    ts = dicts["TSCharacters"]
    t2s: dict[str, str] = {}
    for variant in {**dicts["TWVariantsRev"], **dicts["HKVariantsRev"]}.items():
        standard = variant[1][0]
        t2s[variant[0]] = ts.get(standard, [standard])[0]
    for key, values in ts.items():
        t2s.setdefault(key, values[0])
    pairs = sorted(k + v for k, v in t2s.items() if k != v)
    (out_dir / T2S_FILE).write_text("\n".join(pairs) + "\n", "utf-8")
    s2t = sorted(k + "".join(dict.fromkeys(v)) for k, v in dicts["STCharacters"].items() if v != [k])
    (out_dir / S2T_FILE).write_text("\n".join(s2t) + "\n", "utf-8")


if __name__ == "__main__":
    generate(Path(__file__).parent / "data")

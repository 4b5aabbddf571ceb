"""Any bytes as a lexicon file give a Lexicon or located LexiconErrors, never another exception."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import VALID_LEXICON
from tests.fuzz.conftest import Runner, fuzz_settings
from wildcli.errors import LexiconError
from wildcli.lexicon import load_lexicon

_VALID_TERMS = (VALID_LEXICON / "ivory" / "en.yaml").read_bytes()
_VALID_CONCEPT = (VALID_LEXICON / "ivory" / "concept.yaml").read_bytes()
_TOKENS = [b"&a ", b"*a", b"!!python/object:os.system ", b"!x ", b"<<: ", b"- ", b": ", b"\n", b"  ", b"\t",
           b"[", b"]", b"{", b"}", b'"', b"'", b"#", b"%YAML 1.1\n", b"---\n", b"...\n", b"\xff", b"\x00",
           b"\xef\xbb\xbf", b"no", b"2024-01-01", b"1e400", b"0x1F", b"~", b"|\n", b">-\n", b"? ", b"\\u202e",
           "\u202e".encode(), b"term: ", b"kind: obfuscation", b"status: approved", b"x" * 300]  # fmt: skip


@st.composite
def _yamlish(draw: st.DrawFn, valid: bytes) -> bytes:
    data = bytearray(valid)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["insert", "delete", "repeat", "truncate"]))
        if op == "insert":
            data[at:at] = draw(st.sampled_from(_TOKENS) | st.binary(min_size=1, max_size=3))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 12))]
        elif op == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 60))]
        else:
            del data[at:]
    return bytes(data)


_FILES = st.one_of(
    st.binary(max_size=300),
    st.text(alphabet=st.sampled_from(list("-:{}[]&*!|>'\"#?, \n\tabc0")), max_size=200).map(str.encode),
    _yamlish(_VALID_TERMS),
)


@fuzz_settings(200)
@given(terms=_FILES, concept=st.one_of(st.just(_VALID_CONCEPT), _yamlish(_VALID_CONCEPT)))
def _any_file(terms: bytes, concept: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "lex"
        shutil.copytree(VALID_LEXICON, root)
        (root / "ivory" / "en.yaml").write_bytes(terms)
        (root / "ivory" / "concept.yaml").write_bytes(concept)
        errors: list[LexiconError] = []
        lexicon = load_lexicon([root], on_error=errors.append)
        assert lexicon.terms  # the files left untouched still load
        for error in errors:
            assert isinstance(error, LexiconError)
            assert error.location is not None
            assert error.location.path.endswith(("ivory/en.yaml", "ivory/concept.yaml"))
            assert "\n" not in str(error)


def test_any_bytes_as_a_lexicon_file_give_located_errors_only(fuzz: Runner) -> None:
    fuzz(_any_file)

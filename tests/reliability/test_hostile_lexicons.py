"""Lexicon contributions are pull requests from outside: hostile YAML must fail fast, located, inert.

Each test writes a small lexicon into a temporary directory (the working directory, so that
messages name `lex/ivory/en.yaml`) and loads it through the CLI as a reviewer or CI would.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import string
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.helpers import run
from tests.conftest import ROOT, VALID_LEXICON
from wildcli.lexicon.yamlfile import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES

HEADER = "# yaml-language-server: $schema=../../../wildcli/schema/terms.schema.json\nterms:\n"
FAST = 10.0  # seconds: a hostile file is refused in well under one; expanded, it would take hours


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def lexicon(tmp_path: Path, en_yaml: str | bytes | None = None) -> Path:
    """A copy of the fixture's ivory concept; `en_yaml` replaces its English file."""
    root = tmp_path / "lex"
    shutil.copytree(VALID_LEXICON / "ivory", root / "ivory")
    shutil.copytree(VALID_LEXICON / "trade_context", root / "trade_context")
    if en_yaml is not None:
        path = root / "ivory" / "en.yaml"
        path.write_bytes(en_yaml.encode("utf-8") if isinstance(en_yaml, str) else en_yaml)
    return root


def stats(root: Path) -> tuple[int, list[str], float]:
    started = time.perf_counter()
    result = run("stats", "--no-bundled", "--lexicon", str(root.name))
    return result.exit_code, result.stderr.splitlines(), time.perf_counter() - started


def term(text: str, kind: str = "name", extra: str = "") -> str:
    return f'  - term: "{text}"\n    kind: {kind}\n    status: proposed\n{extra}'


# --- YAML bombs and oversized files ---


def _laughs(levels: int = 9) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + f"\nterms: *l{levels - 1}\n"


@pytest.mark.parametrize(("name", "text", "message"), [
    ("billion laughs", _laughs(), "lex/ivory/en.yaml:1: anchors and aliases are not allowed in lexicon files"),
    ("one big anchor, many aliases", 'big: &b "' + "x" * 500_000 + '"\nterms:\n'
     + "".join("  - term: *b\n    kind: name\n    status: proposed\n" for _ in range(2000)),
     "lex/ivory/en.yaml:1: anchors and aliases are not allowed in lexicon files"),
    ("merge key", "base: {kind: name}\nterms:\n  - <<: {kind: name}\n    term: x\n",
     "lex/ivory/en.yaml:3: merge keys (<<) are not allowed in lexicon files"),
    ("oversized file", HEADER + term("ivory") * 80_000,
     f"lex/ivory/en.yaml: file is {len(HEADER) + len(term('ivory')) * 80_000} bytes, the limit is {MAX_FILE_BYTES}"),
    ("too many nodes", "terms: [" + "a," * (MAX_NODES + 10) + "a]\n",
     f"lex/ivory/en.yaml:1: more than {MAX_NODES} YAML nodes"),
    ("nested past the limit", "terms: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n",
     f"lex/ivory/en.yaml:1: nested deeper than {MAX_DEPTH} levels"),
    ("nested 10,000 deep", "terms: " + "[" * 10_000 + "]" * 10_000 + "\n",
     "lex/ivory/en.yaml:1: invalid YAML: exceeded maximum nesting depth"),
    ("not UTF-8", HEADER.encode() + b'  - term: "caf\xe9"\n', "lex/ivory/en.yaml:3: not valid UTF-8"),
    ("NUL byte", HEADER + '  - term: "iv\x00ory"\n', "lex/ivory/en.yaml:3: invalid YAML: U+0000 is not allowed"),
])  # fmt: skip
def test_hostile_yaml_is_refused_quickly_with_a_located_error(
    name: str, text: str | bytes, message: str, tmp_path: Path
) -> None:
    code, stderr, seconds = stats(lexicon(tmp_path, text))
    assert code == 78
    assert stderr == [f"error: {message}"]
    assert seconds < FAST, f"{name} took {seconds:.1f}s"


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system [\"touch PWNED\"]",
    "!!python/object/new:os.system [\"touch PWNED\"]",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!binary aGVsbG8=",  # standard, but a term must be text
    "!local {a: 1}",
    "!<tag:example.com,2024:thing> x",
    "!!set {a, b}",
])  # fmt: skip
def test_no_yaml_tag_constructs_anything(tag: str, tmp_path: Path) -> None:
    root = lexicon(tmp_path, HEADER + f"  - term: {tag}\n    kind: name\n    status: proposed\n")
    code, stderr, _ = stats(root)
    assert code == 78
    assert len(stderr) == 1
    assert stderr[0].startswith("error: lex/ivory/en.yaml:3: ")
    assert "is not allowed" in stderr[0] or "expected a string" in stderr[0]
    assert not (tmp_path / "PWNED").exists()


# --- files that are not what they seem ---


def test_file_symlinked_outside_its_lexicon_is_refused_and_named_as_the_link(tmp_path: Path) -> None:
    root = lexicon(tmp_path)
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(HEADER + term("ivory"))
    (root / "ivory" / "en.yaml").unlink()
    (root / "ivory" / "en.yaml").symlink_to(outside)
    code, stderr, _ = stats(root)
    assert (code, stderr) == (78, ["error: lex/ivory/en.yaml: points outside its lexicon directory"])


def test_concept_directory_symlinked_elsewhere_reads_nothing_from_there(tmp_path: Path) -> None:
    root = lexicon(tmp_path)
    shutil.move(str(root / "ivory"), str(tmp_path / "stolen"))
    (root / "ivory").symlink_to(tmp_path / "stolen")
    code, stderr, _ = stats(root)
    assert code == 78
    assert stderr == [f"error: lex/ivory/{name}: points outside its lexicon directory"
                      for name in ("concept.yaml", "en.yaml", "vi.yaml", "zh-Hans.yaml")]


def test_symlink_to_a_device_is_refused(tmp_path: Path) -> None:
    root = lexicon(tmp_path)
    (root / "ivory" / "en.yaml").unlink()
    (root / "ivory" / "en.yaml").symlink_to("/dev/zero")
    code, stderr, seconds = stats(root)
    assert (code, stderr) == (78, ["error: lex/ivory/en.yaml: points outside its lexicon directory"])
    assert seconds < FAST


def test_fifo_as_a_lexicon_file_does_not_hang(tmp_path: Path) -> None:
    root = lexicon(tmp_path)
    (root / "ivory" / "en.yaml").unlink()
    os.mkfifo(root / "ivory" / "en.yaml")
    code, stderr, seconds = stats(root)
    assert (code, stderr) == (78, ["error: lex/ivory/en.yaml: not a regular file"])
    assert seconds < FAST


def test_the_lexicon_directory_given_may_itself_be_a_symlink(tmp_path: Path) -> None:
    # The person running wildcli chose that path: only links inside it are suspect.
    real = lexicon(tmp_path)
    (tmp_path / "alias").symlink_to(real)
    assert stats(tmp_path / "alias")[:2] == (0, [])


# --- terms that would mislead reviewers or match everything (wildcli lint) ---


def lint(root: Path, rule: str) -> list[str]:
    result = run("lint", str(root.name))
    assert "Traceback" not in result.stderr
    return [line for line in result.stdout.splitlines() if line.endswith(f"[{rule}]")]


def test_bidi_overrides_and_invisible_characters_in_terms_are_flagged(tmp_path: Path) -> None:
    root = lexicon(tmp_path, HEADER + term("iv\u202eory") + term("tu\u200bsk") + term("bo\u2066ne")
                   + term("horn\u00ad"))
    assert lint(root, "WL011") == [
        "lex/ivory/en.yaml:3: terms[0].term: U+202E RIGHT-TO-LEFT OVERRIDE at offset 2: "
        "allowed only in terms of kind obfuscation [WL011]",
        "lex/ivory/en.yaml:6: terms[1].term: U+200B ZERO WIDTH SPACE at offset 2: "
        "allowed only in terms of kind obfuscation [WL011]",
        "lex/ivory/en.yaml:9: terms[2].term: U+2066 LEFT-TO-RIGHT ISOLATE at offset 2: "
        "allowed only in terms of kind obfuscation [WL011]",
        "lex/ivory/en.yaml:12: terms[3].term: U+00AD SOFT HYPHEN at offset 4: "
        "allowed only in terms of kind obfuscation [WL011]",
    ]


def test_bidi_override_in_a_comment_is_flagged(tmp_path: Path) -> None:
    root = lexicon(tmp_path, HEADER + term("ivory") + "# reviewed \u202e by nobody\n")
    assert lint(root, "WL011") == [
        "lex/ivory/en.yaml:6: U+202E RIGHT-TO-LEFT OVERRIDE at column 12 (a comment or key hides it) [WL011]"
    ]


@pytest.mark.parametrize("where", ["term", "note", "comment"])
def test_bidi_override_is_flagged_even_in_an_obfuscation_entry(where: str, tmp_path: Path) -> None:
    text = "iv\u202eory" if where == "term" else "ivory"
    note = '    note: "safe \u202e text"\n' if where == "note" else ""
    comment = "# ok \u202e\n" if where == "comment" else ""
    root = lexicon(tmp_path, HEADER + term(text, "obfuscation", note) + comment)
    assert any("U+202E" in line for line in lint(root, "WL011"))


@pytest.mark.parametrize(("text", "rule", "message"), [
    ("", "WL001", "terms[0].term: must not be empty"),
    ("   ", "WL001", "terms[0].term: must not be empty"),
    ("\u200b\u200d", "WL012", "terms[0].term: '\\u200b\\u200d' is empty once invisible characters are removed "
                              "and would match far too much"),
    ("e", "WL012", "terms[0].term: 'e' is a single letter of a spaced script and would match far too much"),
    ("The", "WL012", "terms[0].term: 'The' is a common en word and would match far too much"),
    ("a" * 10_000, "WL001", "terms[0].term: longer than 200 characters"),
])  # fmt: skip
def test_terms_that_match_nothing_or_everything_are_rejected(text: str, rule: str, message: str,
                                                             tmp_path: Path) -> None:  # fmt: skip
    root = lexicon(tmp_path, HEADER + term(text))
    assert lint(root, rule) == [f"lex/ivory/en.yaml:3: {message} [{rule}]"]


APPROVED = "    sources:\n      - title: Fixture\n"


@pytest.mark.parametrize("text", ["...", "/", "- -", " . ", "·", "\u3000.\u3000", "\u200b.\u200b", "-\u0301"])
def test_terms_of_only_punctuation_spaces_or_marks_are_lint_errors(text: str, tmp_path: Path) -> None:
    root = lexicon(tmp_path, HEADER + term(text))
    assert lint(root, "WL017") == [
        f"lex/ivory/en.yaml:3: terms[0].term: {text!r} has no letter, digit, emoji or currency sign and "
        "would match in almost every listing [WL017]"]


@pytest.mark.parametrize(("field", "verb"), [("context", "count as context"), ("exclude", "cancel the term")])
def test_context_and_exclusion_phrases_of_only_punctuation_are_lint_errors(field: str, verb: str,
                                                                         tmp_path: Path) -> None:  # fmt: skip
    root = lexicon(tmp_path, HEADER + term("tusk", extra=f'    {field}: ["carved", " // "]\n'))
    assert lint(root, "WL017") == [
        f"lex/ivory/en.yaml:6: terms[0].{field}[1]: ' // ' has no letter, digit, emoji or currency sign and "
        f"would {verb} in almost every listing [WL017]"]


@pytest.mark.parametrize("text", ["...", "/", "-\u0301", "\u0301\u0301"])
def test_a_term_without_a_word_character_never_matches_even_when_lint_errors_are_ignored(
    text: str, tmp_path: Path
) -> None:
    root = lexicon(tmp_path, HEADER + term(text).replace("proposed", "approved") + APPROVED)
    listing = "Vintage lamp... with a brass/copper base -\u0301 \u0301\u0301 nothing else"
    result = run("check", "--no-bundled", "--lexicon", str(root.name), "--ignore-lint-errors", "--json", listing)
    assert (result.exit_code, result.stdout.strip()) == (0, "[]")


def test_scan_check_and_export_refuse_a_lexicon_with_lint_errors(tmp_path: Path) -> None:
    root = lexicon(tmp_path, HEADER + term("The").replace("proposed", "approved") + APPROVED)
    (tmp_path / "dump.csv").write_text("id,title\n1,the carved ivory tusk\n")
    expected = ["error: lex/ivory/en.yaml:3: terms[0].term: 'The' is a common en word and would match far too "
                "much [WL012]",
                "error: the lexicon has 1 lint error: fix the lexicon, or pass --ignore-lint-errors"]
    lex = ["--no-bundled", "--lexicon", str(root.name)]
    for args in (["scan", "dump.csv", "-o", "out.jsonl", "--format", "jsonl"], ["check", "the tusk"],
                 ["export", "--format", "txt", "-o", "list.txt"]):
        result = run(*args, *lex)
        assert (result.exit_code, result.stderr.splitlines()) == (78, expected), args
    assert not (tmp_path / "out.jsonl").exists()
    assert not (tmp_path / "list.txt").exists()


def test_ignore_lint_errors_scans_but_an_export_never_carries_the_invalid_term(tmp_path: Path) -> None:
    root = lexicon(tmp_path, HEADER + term("The").replace("proposed", "approved") + APPROVED
                   + term("tusk").replace("proposed", "approved") + APPROVED)
    lex = ["--no-bundled", "--lexicon", str(root.name), "--ignore-lint-errors"]
    checked = run("check", "--json", "the tusk", *lex)
    assert checked.exit_code == 0
    assert checked.stderr == ""  # asked for: not even linted, so that it starts as fast as ever
    assert {f["term"] for f in json.loads(checked.stdout)} == {"The", "tusk"}
    exported = run("export", "--format", "txt", "--action", "warn", *lex)
    assert exported.exit_code == 0
    assert "note: 1 terms with lint errors left out (--ignore-lint-errors)" in exported.stderr
    assert "tusk" in exported.stdout.split("\n")
    assert "The" not in exported.stdout
    assert "the" not in exported.stdout.split("\n")


def test_a_lexicon_that_passed_the_gate_is_not_linted_again(tmp_path: Path) -> None:
    from wildcli.lexicon import gate

    root = lexicon(tmp_path)
    first = gate.gate([root.name], with_bundled=False)
    assert first.problems == ()
    assert first.lexicon is not None
    again = gate.gate([root.name], with_bundled=False)
    assert again.problems == ()
    assert again.lexicon is None
    (root / "ivory" / "en.yaml").write_text(HEADER + term("The").replace("proposed", "approved") + APPROVED)
    changed = gate.gate([root.name], with_bundled=False)
    assert [p.rule_id for p in changed.problems] == ["WL012"]


# --- ids and language tags must end where the text ends (`$` also matches before a newline) ---


def test_a_concept_directory_or_language_file_named_with_a_final_newline_is_refused(tmp_path: Path) -> None:
    root = lexicon(tmp_path)
    shutil.copytree(root / "ivory", root / "horn\n")
    (root / "horn\n" / "concept.yaml").write_text((root / "ivory" / "concept.yaml").read_text().replace(
        "id: ivory", 'id: "horn\\n"'))
    shutil.copy(root / "ivory" / "vi.yaml", root / "ivory" / "vi\n.yaml")
    code, stderr, _ = stats(root)
    assert code == 78
    assert stderr == [
        "error: lex/horn\\n: concept directory names must be snake_case ids",
        "error: lex/ivory/vi\\n.yaml: language files are named <BCP-47 tag>.yaml, e.g. vi.yaml or zh-Hans.yaml",
    ]


@pytest.mark.parametrize(("yaml_line", "message"), [
    ('  "en\\n": ivory', "labels.en\\n: 'en\\n' is not a BCP-47 language tag"),
    ('  "zh-Hans\\r\\n": 象牙', "labels.zh-Hans\\r\\n: 'zh-Hans\\r\\n' is not a BCP-47 language tag"),
])  # fmt: skip
def test_a_label_language_with_a_final_newline_is_refused(yaml_line: str, message: str, tmp_path: Path) -> None:
    root = lexicon(tmp_path)
    concept = root / "ivory" / "concept.yaml"
    concept.write_text(concept.read_text().replace("  en: ivory", yaml_line))
    code, stderr, _ = stats(root)
    assert code == 78
    assert any(line.endswith(message) for line in stderr), stderr


def test_a_date_or_url_with_a_final_newline_is_refused(tmp_path: Path) -> None:
    extra = '    added: "2024-01-01\\n"\n    sources:\n      - title: T\n        url: "https://example.org/\\n"\n'
    root = lexicon(tmp_path, HEADER + term("tusk", extra=extra))
    code, stderr, _ = stats(root)
    assert code == 78
    assert sorted(stderr) == [
        "error: lex/ivory/en.yaml:6: terms[0].added: '2024-01-01\\n' is not a date (YYYY-MM-DD)",
        "error: lex/ivory/en.yaml:9: terms[0].sources[0].url: 'https://example.org/\\n' is not an http(s) URL"]


def test_a_10000_character_term_stops_a_scan_with_exit_78(tmp_path: Path) -> None:
    root = lexicon(tmp_path, HEADER + term("ivory " * 1667))
    code, stderr, seconds = stats(root)
    assert code == 78
    assert stderr == ["error: lex/ivory/en.yaml:3: terms[0].term: longer than 200 characters"]
    assert seconds < FAST


# --- a big lexicon loads within documented bounds (README, "Reliability and security") ---

LONG = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" or os.environ.get("WILDCLI_LONG") == "1"
BIG_TERMS = 100_000 if LONG else 10_000
# Per 1,000 terms, measured about 0.12 s and 1 MB to load, 0.18 s and 29 MB to build the matcher
# on a 2-core CI runner; the bounds leave room for slower machines. See the README, "Reliability and security".
LOAD_SECONDS, MATCHER_SECONDS, MATCHER_MB = 0.5, 0.6, 60


def _generate(root: Path, count: int, per_file: int = 2000) -> None:
    rng = random.Random(7)
    for c in range(0, count, per_file):
        concept = root / f"c{c // per_file:03d}"
        concept.mkdir(parents=True)
        (concept / "concept.yaml").write_text(
            f"id: {concept.name}\nseverity: review\nlabels:\n  en: C\ndescription: Generated.\n")
        lines = ["terms:"]
        for n in range(c, min(count, c + per_file)):
            word = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(5, 12)))
            lines.append(f'  - term: "{word} {n}"\n    kind: name\n    status: approved\n'
                         "    sources:\n      - title: Generated")
        (concept / "en.yaml").write_text("\n".join(lines) + "\n")


_MEASURE_LOAD = """
import resource, sys, time
from wildcli.lexicon import load_lexicon
from wildcli.match.matcher import Matcher
start = time.perf_counter()
lexicon = load_lexicon([sys.argv[1]])
loaded = time.perf_counter()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
matcher = Matcher(lexicon)
built = time.perf_counter()
hits = matcher.find("listing with " + lexicon.terms[-1].term + " inside")
print(len(lexicon.terms), loaded - start, built - loaded,
      (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) // 1024, len(hits))
"""


def test_a_big_lexicon_loads_within_the_documented_bounds(tmp_path: Path) -> None:
    _generate(tmp_path / "big", BIG_TERMS)
    proc = subprocess.run([sys.executable, "-c", _MEASURE_LOAD, str(tmp_path / "big")], capture_output=True,
                          text=True, cwd=ROOT, timeout=600, check=True)
    terms, load, build, matcher_mb, hits = proc.stdout.split()
    thousands = BIG_TERMS / 1000
    assert (int(terms), int(hits)) == (BIG_TERMS, 1)
    assert float(load) < LOAD_SECONDS * thousands, f"loading took {float(load):.1f}s"
    assert float(build) < MATCHER_SECONDS * thousands, f"building the matcher took {float(build):.1f}s"
    assert int(matcher_mb) < MATCHER_MB * thousands, f"the matcher took {matcher_mb} MB"


# --- fmt rewrites files: never one that a link leads to out of the lexicon ---

UNSORTED = HEADER + term("tusk") + term("bangle")


@pytest.mark.parametrize("check", [False, True])
def test_fmt_of_a_file_linked_out_of_its_lexicon_leaves_the_outside_file_alone(check: bool, tmp_path: Path) -> None:
    root = lexicon(tmp_path)
    outside = tmp_path / "outside.yaml"
    outside.write_text(UNSORTED)
    (root / "ivory" / "en.yaml").unlink()
    (root / "ivory" / "en.yaml").symlink_to(outside)
    result = run("fmt", *(["--check"] if check else []), "lex/ivory/en.yaml")
    assert result.exit_code == 78
    assert result.stderr.splitlines()[0] == "error: lex/ivory/en.yaml: points outside its lexicon directory: not rewritten"
    assert outside.read_text() == UNSORTED
    assert (root / "ivory" / "en.yaml").is_symlink()


def test_fmt_of_a_file_in_a_concept_directory_linked_elsewhere_is_refused(tmp_path: Path) -> None:
    root = lexicon(tmp_path, UNSORTED)
    shutil.move(str(root / "ivory"), str(tmp_path / "stolen"))
    (root / "ivory").symlink_to(tmp_path / "stolen")
    result = run("fmt", "lex/ivory/en.yaml")
    assert result.exit_code == 78
    assert (tmp_path / "stolen" / "en.yaml").read_text() == UNSORTED


def test_fmt_of_a_file_through_a_linked_lexicon_directory_still_works(tmp_path: Path) -> None:
    lexicon(tmp_path, UNSORTED)
    (tmp_path / "alias").symlink_to(tmp_path / "lex")
    result = run("fmt", "alias/ivory/en.yaml")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "lex" / "ivory" / "en.yaml").read_text() != UNSORTED

"""Click's conventions on every command, where typer's own would show Python: metavars that say
what to type (PATH, TEXT, INTEGER, [a|b|c]) rather than `<list[Path]>`, the usage line as click
writes it (`PATHS...`, not `{paths}...`), click's messages for bad values (with a "did you
mean"), and shell completion of concept ids and languages.

Typer builds its parameters itself, so the command class adjusts them once they exist: names and
completion when the command is built (cheap), error messages only when the command parses its
arguments (the coercion they wrap is built lazily, and only the command that runs needs it).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from pathlib import Path
from typing import Any, get_args

from typer import BadParameter

# Typer carries its own copy of click: its commands and parameters are of these classes.
from typer._click import Context, HelpFormatter, Parameter
from typer.core import TyperArgument, TyperCommand

CHOICES_SHOWN = 6
"""Longer lists of choices are named by their option (FORMAT); the help or --list gives them."""

_TYPE_NAMES: tuple[tuple[type, str], ...] = ((bool, "BOOLEAN"), (int, "INTEGER"), (float, "FLOAT"), (Path, "PATH"), (str, "TEXT"))  # fmt: skip


def did_you_mean(value: str, known: Iterable[str]) -> str:
    """" Did you mean 'x'?" for the known value closest to `value`, or "" when none is close."""
    close = difflib.get_close_matches(value, sorted(set(known)), n=1, cutoff=0.6)
    return f" Did you mean {close[0]!r}?" if close else ""


def not_one_of(value: str, choices: Sequence[str]) -> str:
    """Click's message for a value outside `choices`, with the closest choice suggested."""
    listed = ", ".join(map(repr, choices))
    return f"{value!r} is not one of {listed}.{did_you_mean(value, choices)}"


class Command(TyperCommand):
    """A typer command whose help, errors and completion follow click's conventions."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if param.metavar is None and not getattr(param, "is_flag", False):
                param.metavar = _metavar(param)
            completer = COMPLETERS.get(param.name or "")
            if completer is not None and not _choices(param) and hasattr(param, "_custom_shell_complete"):
                param._custom_shell_complete = completer

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                pieces.append(_argument_usage(param))
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if isinstance(param, TyperArgument):
                # Typer writes the argument's Python type beside its name ("paths... <list[str]>").
                arguments.append((_argument_usage(param).strip("[]"), record[1]))
            else:
                options.append(record)
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        for param in self.params:
            runtime = getattr(param, "get_runtime_param", None)
            if runtime is not None and not isinstance(getattr(param, "_runtime_param", None), _ClickMessages):
                param._runtime_param = _ClickMessages(runtime())  # type: ignore[attr-defined]
        return super().parse_args(ctx, args)


class _ClickMessages:
    """Typer's coercion of one parameter, with click's messages in place of pydantic's
    ("Value error, 'x' is not one of ...", "Input should be a valid integer ...")."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def coerce(self, value: Any, param: Any, ctx: Context) -> Any:
        try:
            return self.inner.coerce(value, param=param, ctx=ctx)
        except BadParameter as error:
            raise BadParameter(_message(param, value, error), ctx=ctx, param=param) from None


def _message(param: Parameter, value: Any, error: BadParameter) -> str:
    values = [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]
    choices = _choices(param)
    if choices is not None:
        folded = {c.casefold() for c in choices}
        bad = next((v for v in values if v not in choices and v.casefold() not in folded), values[0])
        return not_one_of(bad, choices)
    kind = _element_type(param)
    if kind in (int, float):
        noun = "integer" if kind is int else "float"
        bad = next((v for v in values if not _parses(kind, v)), values[0])
        return f"{bad!r} is not a valid {noun}."
    return error.message.removeprefix("Value error, ")


def _parses(kind: Callable[[str], object], text: str) -> bool:
    try:
        kind(text)
    except ValueError:
        return False
    return True


def _choices(param: Parameter) -> list[str] | None:
    descriptor = getattr(param, "type_descriptor", None)
    choices = getattr(descriptor, "choices", None)
    if choices is None:
        return None
    return [str(c.value) if isinstance(c, Enum) else str(c) for c in choices]


def _element_type(param: Parameter) -> Any:
    """The Python type of one value of `param` (of each, for a list)."""
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    args = get_args(annotation)
    return args[0] if args and getattr(annotation, "__origin__", None) is list else annotation


def _metavar(param: Parameter) -> str | None:
    choices = _choices(param)
    if choices is not None:
        return f"[{'|'.join(choices)}]" if len(choices) <= CHOICES_SHOWN else _long_name(param)
    if isinstance(param, TyperArgument):
        return (param.name or "value").upper()
    kind = _element_type(param)
    for base, name in _TYPE_NAMES:
        if isinstance(kind, type) and issubclass(kind, base):
            return name
    return None


def _long_name(param: Parameter) -> str:
    """FORMAT for --format, whatever the function's parameter is called."""
    longest = max(param.opts, key=len, default="")
    return (longest.lstrip("-") or param.name or "value").upper()


def _argument_usage(param: Parameter) -> str:
    name = param.metavar or (param.name or "value").upper()
    if param.nargs != 1:
        name += "..."
    return name if param.required else f"[{name}]"


def _lexicon_dirs(ctx: Context) -> list[Path]:
    """The bundled lexicon and the --lexicon directories given so far on the command line."""
    from wildcli.lexicon.bundled import bundled_lexicon_dir

    given = [Path(p) for p in ctx.params.get("lexicon") or ()]
    return ([] if ctx.params.get("no_bundled") else [bundled_lexicon_dir()]) + given


def _complete_concepts(ctx: Context, param: Parameter, incomplete: str) -> list[str]:
    # A concept is a directory of a lexicon: listing them is cheap, loading the YAML is not.
    found = {d.name for root in _lexicon_dirs(ctx) if root.is_dir() for d in root.iterdir() if d.is_dir()}
    return sorted(c for c in found if c.startswith(incomplete))


def _complete_languages(ctx: Context, param: Parameter, incomplete: str) -> list[str]:
    # A language is a file of a concept's directory (vi.yaml); concept.yaml describes the concept.
    found = {f.stem for root in _lexicon_dirs(ctx) if root.is_dir() for f in root.glob("*/*.yaml")}
    found.discard("concept")
    return sorted(lang for lang in found if lang.startswith(incomplete))


COMPLETERS: dict[str, Callable[[Context, Parameter, str], list[str]]] = {
    "concept": _complete_concepts,
    "lang": _complete_languages,
}


def unknown(what: str, value: str, known: Iterable[str]) -> str:
    """The error for a concept or language the lexicon does not have, with the closest it has."""
    close = difflib.get_close_matches(value, sorted(set(known)), n=1, cutoff=0.6)
    return f"unknown {what} {value!r} (see wildcli stats)" + (f"; did you mean {close[0]!r}?" if close else "")

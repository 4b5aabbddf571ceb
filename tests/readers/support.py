"""Reading a dump fully in tests, collecting records, rendered errors and progress."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from wildcli.errors import InputError
from wildcli.readers import ReadOptions, Record, read_records


@dataclass
class Result:
    records: list[Record] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    progress: list[int] = field(default_factory=list)

    @property
    def messages(self) -> list[str]:
        return [str(error) for error in self.errors]

    @property
    def ids(self) -> list[str]:
        return [record.id for record in self.records]

    def column(self, name: str) -> list[str | None]:
        return [record.fields.get(name) for record in self.records]


Read = Callable[..., Result]
# The same place as tests/conftest.py looks: $WILDCLI_SHARED, else ../shared next to the checkout.
CORPORA = Path(os.environ.get("WILDCLI_SHARED", Path(__file__).resolve().parents[3] / "shared")) / "corpora"


def read_all(path: str | Path, stdin: bytes | None = None, **options: object) -> Result:
    result = Result()
    records = read_records(
        str(path),
        ReadOptions(**options),  # type: ignore[arg-type]
        on_error=result.errors.append,
        on_progress=result.progress.append,
        stdin=io.BytesIO(stdin) if stdin is not None else None,
    )
    result.records = list(records)
    return result

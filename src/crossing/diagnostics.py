"""Problems found in a story, each with its place, severity and a stable code; and the core's errors."""

from __future__ import annotations

from typing import Literal

from crossing.immutable import immutable, immutable_ordered
from crossing.model import Story
from crossing.textsafety import plural

Severity = Literal["error", "warning"]


@immutable_ordered
class Diagnostic:
    """One problem found in a story, at file:line:column, with its severity and a stable code."""

    file: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str

    def format(self) -> str:
        where = self.file if self.line <= 0 else f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.severity}: {self.message}"

    def as_dict(self) -> dict[str, str | int]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


@immutable
class Validation:
    """A story (when it could be built) and every diagnostic found in it: what validating gives, and what
    the checked-story cache keeps (here, so that play reads a cached story without the checks' module)."""

    story: Story | None
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]


def sort_diagnostics(found: list[Diagnostic]) -> list[Diagnostic]:
    """By file, line and column; the same problem reported twice is shown once."""
    return sorted(set(found), key=lambda d: (d.file, d.line, d.column, d.severity, d.code, d.message))


def count(found: list[Diagnostic], severity: Severity) -> int:
    return sum(1 for d in found if d.severity == severity)


def summary(found: list[Diagnostic]) -> str:
    errors, warnings = count(found, "error"), count(found, "warning")
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"


# The errors live in crossing.errors; these names stay importable from here.
from crossing.errors import CrossingError, StoryRuntimeError  # noqa: E402

__all__ = ["CrossingError", "Diagnostic", "Severity", "StoryRuntimeError", "count", "sort_diagnostics", "summary"]

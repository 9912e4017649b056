"""What an import refuses: one message for the whole file, or a message per
row and column."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass
class Problem:
    message: str
    line: int | None = None  # the table's row, 1 for its first row
    column: str = ""

    def __str__(self) -> str:
        if self.line and self.column:
            return _("Строка %(line)s, столбец «%(column)s»: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        if self.line:
            return _("Строка %(line)s: %(message)s") % {
                "line": self.line,
                "message": self.message,
            }
        return self.message


class ImportFailed(Exception):
    """The file cannot be imported; nothing was written."""

    def __init__(self, *problems: str | Problem):
        self.problems = [p if isinstance(p, Problem) else Problem(p) for p in problems]
        super().__init__("; ".join(str(p) for p in self.problems))

    @property
    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]

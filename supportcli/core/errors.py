"""Typed errors. Each carries a message key (see content/messages) and an exit code.

The entry point is the only place that turns them into a line on stderr and an exit status.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    OK = 0
    FINDING = 1  # a finding or failure the user should know about
    USAGE = 2  # bad usage or bad input (the field is named)
    INTERRUPTED = 130


class SupportCliError(Exception):
    """Base error: `key` is a message key, `params` fill its placeholders."""

    exit_code: ExitCode = ExitCode.FINDING
    key: str = "errors.generic"

    def __init__(self, message_key: str | None = None, /, **params: Any) -> None:
        if message_key is not None:
            self.key = message_key
        self.params = params
        super().__init__(self.key)

    def render(self) -> str:
        from supportcli.core.i18n import t

        return t(self.key, **self.params)

    def __str__(self) -> str:
        return self.render()


class UsageError(SupportCliError):
    """Bad usage or bad input; exit code 2."""

    exit_code = ExitCode.USAGE
    key = "errors.usage"


class InputError(UsageError):
    """A value given for a named field is invalid."""

    key = "errors.input"

    def __init__(
        self, field: str, reason: str, message_key: str | None = None, /, **params: Any
    ) -> None:
        super().__init__(message_key, field=field, reason=reason, **params)
        self.field = field
        self.reason = reason


class NotFoundError(UsageError):
    key = "errors.not_found"


class ContentError(SupportCliError):
    """A content pack is broken. `problems` are `file:line: key: expected` lines."""

    exit_code = ExitCode.FINDING
    key = "errors.content"

    def __init__(self, problems: list[str]) -> None:
        super().__init__(None, count=len(problems), problems="\n".join(problems))
        self.problems = problems


class StorageError(SupportCliError):
    """A file could not be read or written."""

    key = "errors.storage"


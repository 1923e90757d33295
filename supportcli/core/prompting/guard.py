"""The secret guard as the asking loop sees it: a typed `AnswerGuard`, and `SecretFound`, the refusal
it can recognise with `isinstance`.

`SecretsGuard` is the real one, over `supportcli.core.guard.secrets` (its public functions only:
`check_answer`, `explain`, `SecretFoundError`, `mentions_contact_scam`, `scam_warning`). The module
is imported on the first check, not before the first prompt; if it cannot be imported the run stops
(a guard is never skipped).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from supportcli.core.errors import InputError

if TYPE_CHECKING:
    from supportcli.core.pack import Manifest


class SecretFound(InputError):
    """An answer holds a secret (or, with `needs_confirmation`, may hold one). Its message names the
    field and the kind, never the value; `refused` is the guard's own error, for `AnswerGuard.explain`."""

    def __init__(self, refused: InputError, *, needs_confirmation: bool) -> None:
        params = {k: v for k, v in refused.params.items() if k not in ("field", "reason")}
        super().__init__(refused.field, refused.reason, refused.key, **params)
        self.needs_confirmation = needs_confirmation
        self.refused = refused


class AnswerGuard(Protocol):
    def check(self, key: str, text: str, *, field_type: str | None = None, confirmed: bool = False) -> None:
        """Raise SecretFound when `text` (the answer to `key`) holds a secret; an unsure finding is let
        through only when `confirmed`."""

    def explain(self, refusal: SecretFound) -> list[str]:
        """Why each finding of `refusal` was flagged and what to do now, in the current language."""

    def mentions_contact_scam(self, text: str) -> bool:
        """The text says someone claiming to be support contacted the user (or asked for a secret)."""

    def scam_warning(self, manifest: Manifest | None) -> str:
        """The reminder shown whenever contact by "support" is involved (the pack's names, if given)."""


class SecretsGuard:
    """`AnswerGuard` over `supportcli.core.guard.secrets`."""

    def check(self, key: str, text: str, *, field_type: str | None = None, confirmed: bool = False) -> None:
        from supportcli.core.guard import secrets

        try:
            secrets.check_answer(key, text, field_type=field_type, confirmed=confirmed)
        except secrets.SecretFoundError as exc:
            raise SecretFound(exc, needs_confirmation=bool(exc.needs_confirmation)) from None

    def explain(self, refusal: SecretFound) -> list[str]:
        from supportcli.core.guard import secrets

        error = refusal.refused
        if not isinstance(error, secrets.SecretFoundError):
            return []
        return [str(secrets.explain(finding)) for finding in error.findings]

    def mentions_contact_scam(self, text: str) -> bool:
        from supportcli.core.guard import secrets

        return bool(secrets.mentions_contact_scam(text))

    def scam_warning(self, manifest: Manifest | None) -> str:
        from supportcli.core.guard import secrets

        return str(secrets.scam_warning(manifest))

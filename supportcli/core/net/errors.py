"""Typed network errors: each carries a message key (content/messages/net.toml) and exit code 1.

The command layer prints `exc.render()` as one line. Text that came from a server (a Bitfinex
error message, a reason) is cleaned of control characters and cut short before it is shown.
"""

from __future__ import annotations

from typing import Any

from supportcli.core.errors import ExitCode, SupportCliError

MAX_DETAIL = 160  # characters of server-provided text shown in one error line


def short(text: object) -> str:
    """Server text made safe for one line: no control sequences, at most MAX_DETAIL characters."""
    from supportcli.core.text import clean

    line = clean(str(text), multiline=False).strip()
    return line if len(line) <= MAX_DETAIL else line[: MAX_DETAIL - 1] + "…"


class NetError(SupportCliError):
    """A request did not give a usable answer. `host` names the server asked."""

    exit_code = ExitCode.FINDING
    key = "net.failed"

    def __init__(self, message_key: str | None = None, /, *, host: str, **params: Any) -> None:
        super().__init__(message_key, host=host, **params)
        self.host = host


class OfflineForbiddenError(NetError):
    """The network is off (`--offline`, `config set network off`): nothing was sent."""

    key = "net.offline"


class InsecureUrlError(NetError):
    """Only https, or plain http to this machine (tests), is ever requested."""

    key = "net.insecure_url"

    def __init__(self, *, url: str) -> None:
        super().__init__(None, host=short(url), url=short(url))


class UnreachableError(NetError):
    key = "net.unreachable"

    def __init__(self, *, host: str, reason: str) -> None:
        super().__init__(None, host=host, reason=short(reason))


class SetupError(NetError):
    """The proxy or certificate settings from the environment cannot be used: nothing was sent."""

    key = "net.setup"

    def __init__(self, *, host: str, reason: str) -> None:
        super().__init__(None, host=host, reason=short(reason))


class TlsError(NetError):
    """The server's certificate could not be verified: nothing was exchanged."""

    key = "net.tls"


class NetTimeoutError(NetError):
    key = "net.timeout"

    def __init__(self, *, host: str, seconds: float) -> None:
        super().__init__(None, host=host, seconds=f"{seconds:g}")


class HttpStatusError(NetError):
    key = "net.http_status"

    def __init__(self, *, host: str, status: int) -> None:
        super().__init__(None, host=host, status=status)
        self.status = status


class ApiError(HttpStatusError):
    """A Bitfinex error body: `["error", CODE, "message"]`."""

    key = "net.api_error"

    def __init__(self, *, host: str, status: int, code: object, message: object) -> None:
        NetError.__init__(self, None, host=host, status=status, code=short(code), message=short(message))
        self.status = status
        self.code = code


class RateLimitedError(NetError):
    """429, or Bitfinex's `{"error": "ERR_RATE_LIMIT"}`. `wait` is the server's Retry-After, if it gave one."""

    key = "net.rate_limited"

    def __init__(self, *, host: str, wait: float | None) -> None:
        if wait is None:
            super().__init__("net.rate_limited_unknown", host=host)
        else:
            super().__init__(None, host=host, seconds=str(max(1, round(wait))))
        self.wait = wait


class MalformedBodyError(NetError):
    """The answer is not what the documented format promises (not JSON, wrong shape, too large)."""

    key = "net.malformed"

    def __init__(self, *, host: str, detail: str) -> None:
        super().__init__(None, host=host, detail=short(detail))

"""The one HTTP client of supportcli: httpx with our timeouts, retries, limits and typed errors.

httpx (a well-kept client: proxies from the environment, verified TLS with certifi, streaming,
redirect hooks) is imported when the first request is made, never when this module is imported:
`--help` and `faq search` never load it (a test checks).

Every call of `get_json`:
- is refused before anything is sent when the policy forbids the network, and for any URL that is
  not https (plain http only to this machine) — redirects are checked hop by hop;
- sends only the URL and its query, `User-Agent: supportcli/<version>` and `Accept`, and keeps no
  cookies between requests;
- has a connect and a read timeout and a budget for the whole call (attempts, waits and reading
  included; the last read may add at most one read timeout): 10 + 5 s by default, under 15 s;
- retries a 429, a 5xx or Bitfinex's `{"error": "ERR_RATE_LIMIT"}` with back-off, honouring
  `Retry-After` (seconds or an HTTP date) up to a cap — a longer wait is reported, not slept;
- reads at most `max_bytes` and parses JSON (numbers with a fraction become Decimal);
- turns every failure into one typed error of `supportcli.core.net.errors`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from supportcli import __version__
from supportcli.core.i18n import t
from supportcli.core.net.errors import (
    ApiError,
    HttpStatusError,
    InsecureUrlError,
    MalformedBodyError,
    NetError,
    NetTimeoutError,
    RateLimitedError,
    SetupError,
    TlsError,
    UnreachableError,
)
from supportcli.core.net.policy import NetworkPolicy, check_url, host_of

if TYPE_CHECKING:
    import httpx

USER_AGENT = f"supportcli/{__version__}"
MAX_BYTES = 8 * 1024 * 1024  # one answer; a help-center page of 100 articles is well under this
MAX_REDIRECTS = 3

Params = Mapping[str, str | int]


@dataclass(frozen=True)
class Timeouts:
    """Seconds. `total` bounds one `get_json` call: every attempt, wait and read."""

    connect: float = 5.0
    read: float = 5.0
    total: float = 10.0


@dataclass(frozen=True)
class Retries:
    attempts: int = 3  # in all, the first one included
    backoff: float = 0.5  # seconds before the 2nd attempt, doubled for each next one
    max_wait: float = 5.0  # a longer Retry-After is reported to the user, not slept


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a `Retry-After` header (delay-seconds or an HTTP date), or None."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit() and len(text) <= 9:
        return float(int(text))
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        import datetime as dt

        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, when.timestamp() - now)


def decode_json(body: bytes) -> tuple[Any, str | None]:
    """The parsed body and None, or None and what is wrong with it (never raises)."""
    if not body.strip():
        return None, t("net.detail.empty")
    try:
        return json.loads(body, parse_float=Decimal), None
    except RecursionError:
        return None, t("net.detail.too_deep")
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        return None, t("net.detail.not_json", detail=str(exc))


def error_for(status: int, data: Any, problem: str | None, host: str, wait: float | None) -> NetError | None:
    """The error an answer means, or None for a usable one. Bitfinex's bodies are read whatever the status."""
    if status == 429 or (isinstance(data, dict) and data.get("error") == "ERR_RATE_LIMIT"):
        return RateLimitedError(host=host, wait=wait)
    if isinstance(data, list) and len(data) >= 2 and data[0] == "error":
        return ApiError(host=host, status=status, code=data[1], message=data[2] if len(data) > 2 else "")
    if not 200 <= status < 300:
        return HttpStatusError(host=host, status=status)
    if problem is not None:
        return MalformedBodyError(host=host, detail=problem)
    return None


def _retryable(error: NetError) -> bool:
    if isinstance(error, RateLimitedError):
        return True
    # A Bitfinex error array is an answer (bad symbol, maintenance): asking again changes nothing.
    return isinstance(error, HttpStatusError) and not isinstance(error, ApiError) and error.status >= 500


def _is_tls_failure(exc: BaseException) -> bool:
    import ssl

    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, ssl.SSLError) or "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


@dataclass
class HttpClient:
    """Use as a context manager (or call `close`). `sleep`, `clock` and `wall` are injectable for tests."""

    policy: NetworkPolicy
    timeouts: Timeouts = field(default_factory=Timeouts)
    retries: Retries = field(default_factory=Retries)
    max_bytes: int = MAX_BYTES
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    _client: httpx.Client | None = field(default=None, init=False, repr=False)

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _http(self, host: str = "") -> httpx.Client:
        if self._client is None:
            import httpx

            try:
                self._client = httpx.Client(
                    headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
                    follow_redirects=True,
                    max_redirects=MAX_REDIRECTS,
                    trust_env=True,  # HTTP(S)_PROXY, ALL_PROXY, NO_PROXY, SSL_CERT_FILE, SSL_CERT_DIR
                    verify=True,
                    event_hooks={"request": [_check_request]},
                )
            except (httpx.InvalidURL, ValueError, ImportError, OSError) as exc:  # a bad proxy URL, a missing CA file
                raise SetupError(host=host, reason=str(exc) or type(exc).__name__) from exc
        return self._client

    def get_json(self, url: str, params: Params | None = None, *, max_bytes: int | None = None) -> Any:
        """GET `url` and return its JSON; a NetError subclass for anything else."""
        host = host_of(url)
        self.policy.require(host)
        check_url(url)
        limit = max_bytes or self.max_bytes
        start = self.clock()
        deadline = start + self.timeouts.total
        attempt = 0
        while True:
            attempt += 1
            status, headers, body = self._attempt(url, params, host, start, deadline, limit)
            data, problem = decode_json(body)
            wait = retry_after(headers.get("retry-after"), self.wall())
            error = error_for(status, data, problem, host, wait)
            if error is None:
                return data
            if not _retryable(error) or attempt >= self.retries.attempts:
                raise error
            pause = wait if wait is not None else self.retries.backoff * 2 ** (attempt - 1)
            if pause > self.retries.max_wait or self.clock() + pause >= deadline:
                raise error
            self.sleep(pause)

    def _attempt(
        self, url: str, params: Params | None, host: str, start: float, deadline: float, limit: int
    ) -> tuple[int, Mapping[str, str], bytes]:
        import httpx

        remaining = deadline - self.clock()
        if remaining <= 0:
            raise NetTimeoutError(host=host, seconds=round(self.clock() - start, 1))
        timeout = httpx.Timeout(
            connect=min(self.timeouts.connect, remaining), read=min(self.timeouts.read, remaining),
            write=min(self.timeouts.read, remaining), pool=min(self.timeouts.connect, remaining),
        )
        client = self._http(host)
        try:
            with client.stream("GET", url, params=params, timeout=timeout) as response:
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise MalformedBodyError(host=host, detail=t("net.detail.too_large", limit=_size(limit)))
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise MalformedBodyError(host=host, detail=t("net.detail.too_large", limit=_size(limit)))
                    if self.clock() > deadline:
                        raise NetTimeoutError(host=host, seconds=round(self.clock() - start, 1))
                    chunks.append(chunk)
                return response.status_code, response.headers, b"".join(chunks)
        except httpx.TimeoutException as exc:
            raise NetTimeoutError(host=host, seconds=round(self.clock() - start, 1)) from exc
        except httpx.ConnectError as exc:
            if _is_tls_failure(exc):
                raise TlsError(host=host) from exc
            raise UnreachableError(host=host, reason=str(exc) or type(exc).__name__) from exc
        except httpx.TooManyRedirects as exc:
            raise MalformedBodyError(host=host, detail=t("net.detail.redirects", count=MAX_REDIRECTS)) from exc
        except httpx.DecodingError as exc:
            raise MalformedBodyError(host=host, detail=str(exc)) from exc
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise InsecureUrlError(url=url) from exc
        except httpx.HTTPError as exc:  # the connection broke, a proxy failed, a protocol error …
            raise UnreachableError(host=host, reason=str(exc) or type(exc).__name__) from exc
        finally:
            client.cookies.clear()


def _check_request(request: httpx.Request) -> None:
    """Every request httpx sends, redirects included, goes to an allowed URL."""
    check_url(str(request.url))


def _size(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MiB"

"""Whether a request may be made at all, and to which URLs.

- `NetworkPolicy(allowed=False)` (from `--offline` or `config set network off`, wired by the entry
  point) makes every request raise `OfflineForbiddenError` before anything is sent.
- Only `https://` URLs are requested, except plain `http://` to this machine (127.0.0.0/8, ::1,
  localhost), which the tests' loopback server uses. A URL with a user name or password in it is
  refused too: such a URL is how a link pretends to be another site.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from supportcli.core.net.errors import InsecureUrlError, OfflineForbiddenError


@dataclass(frozen=True)
class NetworkPolicy:
    """What the user allowed for this run. Built by the caller from the settings and flags."""

    allowed: bool = True

    def require(self, host: str) -> None:
        if not self.allowed:
            raise OfflineForbiddenError(host=host)


def is_loopback_host(host: str) -> bool:
    """127.0.0.0/8, ::1 (also written as ::ffff:127.x.y.z) and the name localhost."""
    name = host.strip().strip("[]").rstrip(".").lower()
    if name == "localhost":
        return True
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return bool(ip.is_loopback or (mapped is not None and mapped.is_loopback))


def host_of(url: str) -> str:
    """The host (with a port, if any) to name in messages: `api-pub.bitfinex.com`, `127.0.0.1:8080`."""
    try:
        return urlsplit(url).netloc.rpartition("@")[2] or url
    except ValueError:
        return url


def check_url(url: str) -> str:
    """Return the URL's host if it may be requested; else raise InsecureUrlError."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        _ = parts.port  # a port that is not a number raises ValueError here
    except ValueError as exc:
        raise InsecureUrlError(url=url) from exc
    if not host or parts.username is not None or parts.password is not None:
        raise InsecureUrlError(url=url)
    if parts.scheme == "https" or (parts.scheme == "http" and is_loopback_host(host)):
        return host_of(url)
    raise InsecureUrlError(url=url)


def is_allowed_url(url: str) -> bool:
    try:
        check_url(url)
    except InsecureUrlError:
        return False
    return True


def same_origin(url: str, base: str) -> bool:
    """Whether `url` is on the same scheme, host and port as `base` (a server's next-page link)."""
    try:
        a, b = urlsplit(url), urlsplit(base)
        return (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port)
    except ValueError:
        return False

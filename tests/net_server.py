"""A loopback HTTP server speaking the documented formats, and the guard that keeps tests off the internet.

Registered from tests/conftest.py (`pytest_plugins`):

- `no_internet` (autouse): any socket that connects, or any name looked up, outside this machine
  (127.0.0.0/8, ::1, localhost) is refused and fails the test, even when the code under test
  swallows the error. Proxy variables are cleared so no request is sent through a real proxy.
- `net_server`: a `LoopbackServer` on 127.0.0.1 with scripted routes; it records every request.
- `zendesk_articles` builds help-center articles; `ZendeskFake` serves them the way the Zendesk
  Help Center API does (locales.json, articles.json with `next_page` or cursor `links.next`).
- `online_pack(base_url)`: a copy of the Bitfinex pack whose `[online]` URLs point at the server.
"""

from __future__ import annotations

import ipaddress
import json
import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

# --------------------------------------------------------------------------- the guard

_REAL_CONNECT = socket.socket.connect
_REAL_CONNECT_EX = socket.socket.connect_ex
_REAL_GETADDRINFO = socket.getaddrinfo
_PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


def _is_local(host: object) -> bool:
    if host is None:
        return True
    name = str(host).strip("[]").rstrip(".").lower()
    if name in ("localhost", ""):
        return True
    try:
        ip = ipaddress.ip_address(name.split("%")[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return bool(ip.is_loopback or (mapped is not None and mapped.is_loopback))


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    attempts: list[str] = []

    def allowed(address: Any) -> bool:
        if isinstance(address, (str, bytes)):  # AF_UNIX
            return True
        if isinstance(address, tuple) and address:
            return _is_local(address[0])
        return False

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not allowed(address):
            attempts.append(f"connect {address!r}")
            raise ConnectionRefusedError(f"tests may not connect to {address!r}")
        _REAL_CONNECT(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not allowed(address):
            attempts.append(f"connect_ex {address!r}")
            raise ConnectionRefusedError(f"tests may not connect to {address!r}")
        return _REAL_CONNECT_EX(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, bytes):
            host = host.decode("ascii", "replace")
        if not _is_local(host):
            attempts.append(f"getaddrinfo {host!r}")
            raise socket.gaierror(socket.EAI_NONAME, f"tests may not look up {host!r}")
        return _REAL_GETADDRINFO(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for variable in _PROXY_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    yield attempts
    if attempts:
        pytest.fail("a test tried to reach the internet: " + "; ".join(attempts), pytrace=False)


# --------------------------------------------------------------------------- the server


@dataclass
class Reply:
    """One scripted answer. `body`: bytes as is, str as UTF-8, anything else as JSON."""

    status: int = 200
    body: Any = b""
    headers: dict[str, str] = field(default_factory=dict)
    hang: float = 0.0  # seconds to wait (or until the server stops) before answering
    chunks: int = 1  # send the body in this many pieces …
    chunk_pause: float = 0.0  # … with this pause between them (a trickling server)

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    target: str  # the request line's target as sent (absolute through a proxy)


Handler = Callable[[Seen], Reply]


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1: `route(path, *replies)` or `route(path, handler)`."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler | list[Reply]] = {}
        self.requests: list[Seen] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                seen = Seen("GET", parts.path, parse_qs(parts.query), {k.lower(): v for k, v in self.headers.items()},
                            self.path)
                reply = server._reply_for(seen)
                if reply.hang:
                    server.stopping.wait(reply.hang)
                    if server.stopping.is_set():
                        return
                payload = reply.payload()
                self.send_response(reply.status)
                headers = {"Content-Type": "application/json", "Content-Length": str(len(payload)), **reply.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                step = max(1, -(-len(payload) // max(1, reply.chunks)))
                for start in range(0, len(payload), step):
                    if start and reply.chunk_pause and server.stopping.wait(reply.chunk_pause):
                        return
                    try:
                        self.wfile.write(payload[start:start + step])
                        self.wfile.flush()
                    except OSError:
                        return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def route(self, path: str, *replies: Reply | Handler) -> None:
        """Answer `path` with the replies in order (the last one repeats), or with a handler."""
        if len(replies) == 1 and callable(replies[0]):
            self.routes[path] = replies[0]
        else:
            self.routes[path] = [r for r in replies if isinstance(r, Reply)]

    def _reply_for(self, seen: Seen) -> Reply:
        with self._lock:
            self.requests.append(seen)
            route = self.routes.get(seen.path)
            if route is None:
                return Reply(404, {"error": "not found"})
            if callable(route):
                handler = route
            else:
                reply = route[0] if len(route) == 1 else route.pop(0)
                return reply
        return handler(seen)

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def net_server() -> Iterator[LoopbackServer]:
    server = LoopbackServer().start()
    yield server
    server.stop()


# --------------------------------------------------------------------------- Zendesk Help Center


def article(article_id: int, locale: str, title: str, body: str, **extra: Any) -> dict[str, Any]:
    """A Help Center article object with the documented fields (html_url is set by ZendeskFake)."""
    return {
        "id": article_id, "url": "", "html_url": "", "author_id": 1, "comments_disabled": False,
        "draft": False, "promoted": False, "position": 0, "vote_sum": 0, "vote_count": 0, "section_id": 7,
        "created_at": "2024-01-02T03:04:05Z", "updated_at": "2026-10-01T08:00:00Z", "name": title,
        "title": title, "source_locale": "en-us", "locale": locale, "outdated": False, "outdated_locales": [],
        "permission_group_id": 1, "user_segment_id": None, "label_names": [], "body": body, **extra,
    }


class ZendeskFake:
    """Serves `articles` ({locale: [article, …]}) like the Help Center API: offset pagination with an
    absolute `next_page` URL (per_page, page), or cursor pagination (`links.next`, `meta.has_more`)."""

    def __init__(self, server: LoopbackServer, articles: dict[str, list[dict[str, Any]]], *, per_page: int = 30,
                 cursor: bool = False, locales: list[str] | None = None) -> None:
        self.server = server
        self.articles = articles
        self.per_page = per_page
        self.cursor = cursor
        self.locales = locales if locales is not None else list(articles)
        server.route("/api/v2/help_center/locales.json",
                     lambda seen: Reply(200, {"locales": self.locales, "default_locale": self.locales[0]}))
        for locale in articles:
            server.route(f"/api/v2/help_center/{locale}/articles.json", self._page_handler(locale))

    def _page_handler(self, locale: str) -> Handler:
        def handle(seen: Seen) -> Reply:
            items = [dict(a) for a in self.articles[locale]]
            for a in items:
                a["html_url"] = a["html_url"] or f"{self.server.base_url}/hc/{locale}/articles/{a['id']}"
                a["url"] = f"{self.server.base_url}/api/v2/help_center/{locale}/articles/{a['id']}.json"
            size = int(seen.query.get("per_page", [str(self.per_page)])[0])
            size = min(size, self.per_page)
            base = f"{self.server.base_url}/api/v2/help_center/{locale}/articles.json"
            if self.cursor:
                after = int(seen.query.get("page[after]", ["0"])[0])
                chunk = items[after:after + size]
                more = after + size < len(items)
                return Reply(200, {
                    "articles": chunk,
                    "meta": {"has_more": more, "after_cursor": str(after + size), "before_cursor": str(after)},
                    "links": {"first": base, "last": base,
                              "next": f"{base}?page%5Bsize%5D={size}&page%5Bafter%5D={after + size}" if more else None,
                              "prev": None},
                })
            page = int(seen.query.get("page", ["1"])[0])
            chunk = items[(page - 1) * size: page * size]
            count = len(items)
            pages = max(1, -(-count // size))
            return Reply(200, {
                "articles": chunk, "page": page, "per_page": size, "page_count": pages, "count": count,
                "next_page": f"{base}?page={page + 1}&per_page={size}" if page < pages else None,
                "previous_page": f"{base}?page={page - 1}&per_page={size}" if page > 1 else None,
                "sort_by": "position", "sort_order": "asc",
            })

        return handle


# --------------------------------------------------------------------------- a pack pointing here


def online_pack(tmp_path: Path, base_url: str, *, help_center: str | None = None) -> Path:
    """A copy of the shipped Bitfinex pack whose `[online]` section points at `base_url`."""
    from supportcli.core.paths import builtin_packs_dir

    target = tmp_path / "pack-online" / "bitfinex"
    if not target.exists():
        shutil.copytree(builtin_packs_dir() / "bitfinex", target)
    manifest = target / "pack.toml"
    text = manifest.read_text(encoding="utf-8")
    head, marker, _ = text.partition("\n[online]\n")
    assert marker, "the pack has an [online] section"
    manifest.write_text(
        head + marker + f'api_base = "{base_url}"\nhelp_center = "{help_center or base_url}"\n'
        f'status_page = "https://bitfinex.statuspage.io/"\n' + _after_online(text), encoding="utf-8")
    return target


def _after_online(text: str) -> str:
    """Whatever follows the [online] section's keys (the next table), kept as it was."""
    rest = text.partition("\n[online]\n")[2]
    lines = rest.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("["):
            return "\n" + "".join(lines[i:])
    return ""

"""The HTTP client against the loopback server: limits, retries, Bitfinex bodies, typed errors."""

from __future__ import annotations

import email.utils
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from supportcli import __version__
from supportcli.core import i18n
from supportcli.core.net import errors
from supportcli.core.net.http import HttpClient, Retries, Timeouts, retry_after
from supportcli.core.net.policy import NetworkPolicy, check_url, is_loopback_host
from tests.net_server import LoopbackServer, Reply

FAST = Timeouts(connect=1.0, read=0.5, total=3.0)


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(sleeps: Sleeps) -> Iterator[HttpClient]:
    with HttpClient(NetworkPolicy(), timeouts=FAST, sleep=sleeps) as http:
        yield http


def test_sends_only_the_url_with_our_user_agent_and_keeps_no_cookies(
    net_server: LoopbackServer, client: HttpClient
) -> None:
    net_server.route("/v2/platform/status", Reply(200, [1], headers={"Set-Cookie": "track=me; Path=/"}))
    assert client.get_json(net_server.url("/v2/platform/status")) == [1]
    assert client.get_json(net_server.url("/v2/platform/status"), {"start": 1}) == [1]
    first, second = net_server.requests
    assert first.headers["user-agent"] == f"supportcli/{__version__}"
    assert "cookie" not in second.headers
    assert second.query == {"start": ["1"]}
    assert set(first.headers) <= {"host", "user-agent", "accept", "accept-encoding", "connection"}


def test_offline_policy_sends_nothing_and_says_so(net_server: LoopbackServer) -> None:
    net_server.route("/v2/platform/status", Reply(200, [1]))
    with HttpClient(NetworkPolicy(allowed=False), timeouts=FAST) as http, \
            pytest.raises(errors.OfflineForbiddenError) as caught:
        http.get_json(net_server.url("/v2/platform/status"))
    assert net_server.requests == []
    assert "nothing was sent" in caught.value.render()
    assert "没有向" in i18n.t(caught.value.key, lang="zh", **caught.value.params)


@pytest.mark.parametrize("url", [
    "http://api-pub.bitfinex.com/v2/platform/status",  # plain http to the internet
    "https://user:pw@support.bitfinex.com/",  # a user name in front of the host
    "ftp://127.0.0.1/file",
    "https:///no-host",
    "http://10.0.0.1:8080/",  # a private address is not this computer
    "https://example.com:notaport/",
])
def test_only_https_or_loopback_urls_are_requested(url: str, client: HttpClient) -> None:
    with pytest.raises(errors.InsecureUrlError):
        client.get_json(url)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"])
def test_loopback_hosts(host: str) -> None:
    assert is_loopback_host(host)


def test_other_hosts_are_not_loopback() -> None:
    for host in ("10.0.0.1", "128.0.0.1", "localhost.evil.com", "api-pub.bitfinex.com", "::2"):
        assert not is_loopback_host(host), host
    assert check_url("https://api-pub.bitfinex.com/v2/platform/status") == "api-pub.bitfinex.com"


def test_429_with_retry_after_seconds_waits_that_long_then_succeeds(
    net_server: LoopbackServer, client: HttpClient, sleeps: Sleeps
) -> None:
    net_server.route("/v2/platform/status", Reply(429, {"error": "ERR_RATE_LIMIT"}, {"Retry-After": "2"}),
                     Reply(200, [1]))
    assert client.get_json(net_server.url("/v2/platform/status")) == [1]
    assert sleeps == [2.0]
    assert len(net_server.requests) == 2


def test_retry_after_as_an_http_date() -> None:
    now = time.time()
    header = email.utils.formatdate(now + 3, usegmt=True)
    assert retry_after(header, now) == pytest.approx(3, abs=1)
    assert retry_after(email.utils.formatdate(now - 60, usegmt=True), now) == 0
    assert retry_after("soon", now) is None
    assert retry_after("9" * 40, now) is None


def test_a_long_retry_after_is_reported_not_slept(
    net_server: LoopbackServer, client: HttpClient, sleeps: Sleeps
) -> None:
    net_server.route("/x", Reply(429, b"", {"Retry-After": "120"}))
    with pytest.raises(errors.RateLimitedError) as caught:
        client.get_json(net_server.url("/x"))
    assert sleeps == []
    assert len(net_server.requests) == 1
    assert "try again in 120 s" in caught.value.render()


def test_bitfinex_rate_limit_body_is_retried_with_back_off_then_reported(
    net_server: LoopbackServer, client: HttpClient, sleeps: Sleeps
) -> None:
    net_server.route("/x", Reply(200, {"error": "ERR_RATE_LIMIT"}))
    with pytest.raises(errors.RateLimitedError) as caught:
        client.get_json(net_server.url("/x"))
    assert sleeps == [0.5, 1.0]
    assert len(net_server.requests) == 3
    assert "wait a minute" in caught.value.render()


def test_5xx_is_retried_and_a_later_answer_is_used(
    net_server: LoopbackServer, client: HttpClient, sleeps: Sleeps
) -> None:
    net_server.route("/x", Reply(502, b"<html>bad gateway</html>"), Reply(503, b""), Reply(200, [0]))
    assert client.get_json(net_server.url("/x")) == [0]
    assert sleeps == [0.5, 1.0]


def test_5xx_every_time_is_one_http_status_error(net_server: LoopbackServer, client: HttpClient) -> None:
    net_server.route("/x", Reply(500, b"oops"))
    with pytest.raises(errors.HttpStatusError) as caught:
        client.get_json(net_server.url("/x"))
    assert caught.value.status == 500
    assert len(net_server.requests) == 3
    host = net_server.base_url.removeprefix("http://")
    assert caught.value.render() == f"{host} answered with HTTP 500 instead of the data asked for. Try again later."


def test_bitfinex_error_array_is_read_and_not_retried(net_server: LoopbackServer, client: HttpClient) -> None:
    net_server.route("/x", Reply(500, ["error", 10020, "limit: invalid"]))
    with pytest.raises(errors.ApiError) as caught:
        client.get_json(net_server.url("/x"))
    assert len(net_server.requests) == 1
    assert caught.value.code == 10020
    assert "error 10020: limit: invalid" in caught.value.render()


def test_server_text_in_an_error_is_one_clean_short_line(net_server: LoopbackServer, client: HttpClient) -> None:
    net_server.route("/x", Reply(400, ["error", 1, "\x1b[31mred\x1b[0m\nsecond line " + "x" * 500]))
    with pytest.raises(errors.ApiError) as caught:
        client.get_json(net_server.url("/x"))
    line = caught.value.render()
    assert "\n" not in line
    assert "\x1b" not in line
    assert len(line) < 300


@pytest.mark.parametrize(("body", "detail"), [
    (b"{not json", "not JSON"),
    (b"", "empty"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b"\xff\xfe\xfd", "not JSON"),
])
def test_malformed_bodies_are_one_typed_error(
    net_server: LoopbackServer, client: HttpClient, body: bytes, detail: str
) -> None:
    net_server.route("/x", Reply(200, body))
    with pytest.raises(errors.MalformedBodyError) as caught:
        client.get_json(net_server.url("/x"))
    assert detail in caught.value.render()


def test_an_answer_larger_than_the_limit_is_refused(net_server: LoopbackServer, client: HttpClient) -> None:
    net_server.route("/x", Reply(200, [1] * 5000))
    with pytest.raises(errors.MalformedBodyError) as caught:
        client.get_json(net_server.url("/x"), max_bytes=1024)
    assert "larger than" in caught.value.render()


def test_a_server_that_never_answers_times_out(net_server: LoopbackServer, client: HttpClient) -> None:
    net_server.route("/x", Reply(200, [1], hang=30))
    started = time.monotonic()
    with pytest.raises(errors.NetTimeoutError) as caught:
        client.get_json(net_server.url("/x"))
    assert time.monotonic() - started < 2.5
    assert "did not answer in time" in caught.value.render()


def test_a_trickling_server_is_cut_at_the_budget_for_the_whole_request(net_server: LoopbackServer) -> None:
    net_server.route("/x", Reply(200, list(range(400)), chunks=40, chunk_pause=0.1))  # 4 s in all
    budget = Timeouts(connect=1.0, read=0.5, total=1.0)
    started = time.monotonic()
    with HttpClient(NetworkPolicy(), timeouts=budget) as http, pytest.raises(errors.NetTimeoutError):
        http.get_json(net_server.url("/x"))
    assert time.monotonic() - started < budget.total + budget.read + 0.5


def test_nothing_listening_is_unreachable(client: HttpClient) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(errors.UnreachableError) as caught:
        client.get_json(f"http://127.0.0.1:{port}/v2/platform/status")
    assert caught.value.render().startswith(f"Could not reach 127.0.0.1:{port}: ")


def test_redirects_are_checked_hop_by_hop(net_server: LoopbackServer, client: HttpClient) -> None:
    net_server.route("/away", Reply(302, b"", {"Location": "http://bitfinex.example/steal"}))
    with pytest.raises(errors.InsecureUrlError):
        client.get_json(net_server.url("/away"))
    net_server.route("/loop", Reply(302, b"", {"Location": "/loop"}))
    with pytest.raises(errors.MalformedBodyError) as caught:
        client.get_json(net_server.url("/loop"))
    assert "redirected more than 3 times" in caught.value.render()
    net_server.route("/moved", Reply(301, b"", {"Location": "/here"}))
    net_server.route("/here", Reply(200, [1]))
    assert client.get_json(net_server.url("/moved")) == [1]


def test_proxies_come_from_the_environment(
    net_server: LoopbackServer, client: HttpClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy = LoopbackServer().start()
    try:
        proxy.route("/v2/platform/status", Reply(200, [1]))
        monkeypatch.setenv("HTTP_PROXY", proxy.base_url)
        with HttpClient(NetworkPolicy(), timeouts=FAST) as http:
            assert http.get_json(net_server.url("/v2/platform/status")) == [1]
        assert net_server.requests == []
        assert proxy.requests[0].target == net_server.url("/v2/platform/status")
    finally:
        proxy.stop()


@pytest.mark.parametrize(("variable", "value"), [
    ("HTTP_PROXY", "ftp://proxy.example"), ("HTTP_PROXY", "http://[::1"), ("ALL_PROXY", "socks5://127.0.0.1:9"),
    ("SSL_CERT_FILE", "/nonexistent/ca.pem"),
])
def test_unusable_proxy_or_certificate_settings_are_one_line(
    net_server: LoopbackServer, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    net_server.route("/x", Reply(200, [1]))
    with HttpClient(NetworkPolicy(), timeouts=FAST) as http, pytest.raises(errors.SetupError) as caught:
        http.get_json(net_server.url("/x"))
    assert "proxy or certificate settings could not be used" in caught.value.render()
    assert net_server.requests == []


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[str]:
    """An https server on 127.0.0.1 with a self-signed certificate (which no one trusts)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True, timeout=60)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"[1]")

        def log_message(self, format: str, *args: object) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{httpd.server_address[1]}/v2/platform/status"
    httpd.shutdown()
    httpd.server_close()


def test_tls_certificates_are_verified(tls_server: str, client: HttpClient) -> None:
    with pytest.raises(errors.TlsError) as caught:
        client.get_json(tls_server)
    assert "Could not verify the identity of 127.0.0.1" in caught.value.render()


def test_no_retry_when_the_budget_is_spent(net_server: LoopbackServer, sleeps: Sleeps) -> None:
    net_server.route("/x", Reply(503, b"", {"Retry-After": "3"}))
    short = Timeouts(1.0, 0.5, 2.0)
    with HttpClient(NetworkPolicy(), timeouts=short, retries=Retries(max_wait=5), sleep=sleeps) as http, \
            pytest.raises(errors.HttpStatusError):
        http.get_json(net_server.url("/x"))
    assert sleeps == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_network_error_is_one_line_in_both_languages(lang: i18n.Lang) -> None:
    i18n.set_language(lang)
    samples = [
        errors.OfflineForbiddenError(host="h"), errors.InsecureUrlError(url="http://h/"),
        errors.UnreachableError(host="h", reason="refused"), errors.TlsError(host="h"),
        errors.NetTimeoutError(host="h", seconds=10), errors.HttpStatusError(host="h", status=500),
        errors.ApiError(host="h", status=500, code=20060, message="maintenance"),
        errors.RateLimitedError(host="h", wait=30), errors.RateLimitedError(host="h", wait=None),
        errors.MalformedBodyError(host="h", detail="x"), errors.SetupError(host="h", reason="bad proxy"),
    ]
    for error in samples:
        line = error.render()
        assert line != error.key
        assert "\n" not in line
        assert "{" not in line
        assert error.exit_code == 1

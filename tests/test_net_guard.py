"""The suite's own guard: no test may reach past this machine (see tests/net_server.py)."""

from __future__ import annotations

import socket

import pytest

from supportcli.core.net import errors
from supportcli.core.net.http import HttpClient, Timeouts
from supportcli.core.net.policy import NetworkPolicy


def test_connecting_outside_this_machine_is_refused_and_recorded(no_internet: list[str]) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s, pytest.raises(ConnectionRefusedError):
        s.connect(("192.0.2.1", 443))  # TEST-NET-1: never routed; refused before any packet leaves
    assert no_internet == ["connect ('192.0.2.1', 443)"]
    no_internet.clear()  # this test meant it; any other test doing so fails


def test_looking_up_a_name_is_refused_and_recorded(no_internet: list[str]) -> None:
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("api-pub.bitfinex.com", 443)
    assert no_internet == ["getaddrinfo 'api-pub.bitfinex.com'"]
    no_internet.clear()


def test_the_real_endpoints_are_never_asked_even_by_mistake(no_internet: list[str]) -> None:
    with HttpClient(NetworkPolicy(), timeouts=Timeouts(0.5, 0.5, 1.0)) as http, \
            pytest.raises(errors.UnreachableError):
        http.get_json("https://api-pub.bitfinex.com/v2/platform/status")
    assert no_internet == ["getaddrinfo 'api-pub.bitfinex.com'"]
    no_internet.clear()


def test_loopback_is_allowed(no_internet: list[str]) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=2):
            pass
    assert no_internet == []

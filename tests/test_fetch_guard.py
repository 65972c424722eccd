"""The address policy for fetches: what a feed's link may reach, decided before any connection."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

import pytest

from briefing.errors import BlockedAddressError, SourceError
from briefing.sources import connection, fetch, guard
from briefing.sources.guard import Reach, refusal, vet

NOT_PUBLIC = [
    ("127.0.0.1", "loopback"), ("127.9.8.7", "loopback"), ("10.0.0.1", "private"),
    ("10.255.255.255", "private"), ("172.16.0.1", "private"), ("172.31.255.254", "private"),
    ("192.168.1.1", "private"), ("169.254.169.254", "link-local"), ("169.254.0.1", "link-local"),
    ("100.64.0.1", "carrier-grade NAT"), ("100.127.255.254", "carrier-grade NAT"),
    ("0.0.0.0", "unspecified"), ("0.1.2.3", "private"), ("224.0.0.251", "multicast"),
    ("239.255.255.250", "multicast"), ("240.0.0.1", "reserved"),
    ("255.255.255.255", "reserved"), ("192.0.2.10", "private"),
    ("::1", "loopback"), ("::", "unspecified"), ("fc00::1", "private"),
    ("fd00:ec2::254", "private"), ("fe80::1", "link-local"), ("fe80::1%2", "link-local"),
    ("fec0::1", "site-local"), ("ff02::1", "multicast"),
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.1.2.3", "private"),
    ("::ffff:169.254.169.254", "link-local"), ("::ffff:100.64.1.1", "carrier-grade NAT"),
    ("64:ff9b::7f00:1", "loopback"), ("2002:7f00:1::1", "loopback"),
    ("2002:a9fe:a9fe::", "link-local"), ("::127.0.0.1", "reserved"),
]  # fmt: skip
PUBLIC = ["8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "172.15.255.255",
          "100.128.0.1", "100.63.255.255", "192.169.0.1", "2606:4700::1111",
          "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8", "64:ff9b::808:808"]  # fmt: skip


@pytest.mark.parametrize(("address", "kind"), NOT_PUBLIC)
def test_addresses_that_are_not_public(address: str, kind: str) -> None:
    assert kind in refusal(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) == ""


class FakeResolver:
    """Answers from a table, and counts the questions."""

    def __init__(self, table: dict[str, Sequence[str]]) -> None:
        self.table = table
        self.asked: list[str] = []

    def __call__(self, host: str, port: int, seconds: float) -> Sequence[str]:
        self.asked.append(host)
        return self.table[host]


@pytest.fixture
def no_connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Fail the test if anything tries to connect anywhere."""
    tried: list[tuple[str, int]] = []

    def refuse(address: tuple[str, int], *args: object, **kwargs: object) -> None:
        tried.append(address)
        raise AssertionError(f"a connection to {address} was attempted")

    monkeypatch.setattr(connection.socket, "create_connection", refuse)
    return tried


@pytest.mark.parametrize(("name", "answer", "kind"), [
    ("metadata.example", "169.254.169.254", "link-local"),
    ("router.example", "192.168.0.1", "private"),
    ("intranet.example", "10.20.30.40", "private"),
    ("rebind.example", "127.0.0.1", "loopback"),
    ("v6.example", "fd12:3456::1", "private"),
    ("mapped.example", "::ffff:127.0.0.1", "loopback"),
])  # fmt: skip
def test_a_feed_link_to_a_private_name_is_refused_before_connecting(
    no_connections: list[tuple[str, int]], name: str, answer: str, kind: str
) -> None:
    resolve = FakeResolver({name: [answer]})
    url = f"http://{name}/latest/meta-data/"
    with pytest.raises(BlockedAddressError) as error:
        fetch.fetch(url, reach=Reach.PUBLIC, resolve=resolve, timeout=5)
    message = str(error.value)
    assert url in message and answer in message and kind in message
    assert "allow_private_feed_links" in message and "\n" not in message
    assert no_connections == []


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://127.1/", "http://2130706433/", "http://0x7f000001/",
    "http://localhost/", "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/",
    "http://169.254.169.254/latest/meta-data/", "https://10.0.0.1:8443/x",
    "http://[fe80::1]/", "http://[fd00::1]:8080/",
])  # fmt: skip
def test_every_spelling_of_a_private_address_is_refused(
    no_connections: list[tuple[str, int]], url: str
) -> None:
    # the real resolver: literal and numeric forms never leave the machine
    with pytest.raises(BlockedAddressError):
        fetch.fetch(url, reach=Reach.PUBLIC, timeout=5)
    assert no_connections == []


def test_only_the_public_answers_of_a_mixed_name_are_used() -> None:
    resolve = FakeResolver({"mixed.example": ["10.0.0.7", "93.184.216.34", "127.0.0.1"]})
    assert vet("http://mixed.example/", "mixed.example", 80, reach=Reach.PUBLIC, seconds=1,
               resolve=resolve) == ["93.184.216.34"]  # fmt: skip


@pytest.mark.parametrize("reach", [Reach.TYPED, Reach.ANY])
def test_typed_urls_and_the_switch_may_reach_private_addresses(reach: Reach) -> None:
    resolve = FakeResolver({"nas.local": ["192.168.1.20"]})
    assert vet("http://nas.local/", "nas.local", 80, reach=reach, seconds=1,
               resolve=resolve) == ["192.168.1.20"]  # fmt: skip


def test_a_name_without_addresses_is_a_source_error() -> None:
    with pytest.raises(SourceError, match="no usable address"):
        vet("http://odd.example/", "odd.example", 80, reach=Reach.PUBLIC, seconds=1,
            resolve=FakeResolver({"odd.example": ["not-an-address"]}))  # fmt: skip


def test_the_lookup_itself_is_held_to_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    release = threading.Event()

    def stuck(*args: object, **kwargs: object) -> None:
        release.wait(30)  # a resolver that never answers (its thread is let go at the end)
        raise OSError("gave up")

    monkeypatch.setattr(guard.socket, "getaddrinfo", stuck)
    try:
        with pytest.raises(SourceError, match=r"timed out after 0\.3 s"):
            fetch.fetch("http://slow-dns.example/", timeout=0.3)
    finally:
        release.set()

"""Which addresses a fetch may reach: feed links only public ones (no SSRF), vetted per hop."""

from __future__ import annotations

import enum
import ipaddress
import socket
import threading
from collections.abc import Callable, Sequence

from briefing.errors import BlockedAddressError, SourceError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
# host, port, seconds left -> the host's addresses as text; tests pass a fake one
Resolver = Callable[[str, int, float], Sequence[str]]

_CGNAT = ipaddress.ip_network("100.64.0.0/10")  # carriers' shared space: inside someone's network
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # IPv6-only networks reach IPv4 hosts through it
ALLOW_SWITCH = "allow_private_feed_links = true or BRIEFING_ALLOW_PRIVATE_FEED_LINKS=1"


class Reach(enum.Enum):
    """How far one fetch may go."""

    # A link found inside a feed (and every redirect it makes): public addresses only.
    PUBLIC = "public"
    # A URL the user gave (command line, [[sources]]): it may be private, it is theirs; a
    # public one may not redirect into the private network.
    TYPED = "typed"
    # allow_private_feed_links: the user lets feed links reach private addresses on purpose.
    ANY = "any"


def refusal(address: Address) -> str:
    """Why `address` is not a public one ("" when it is)."""
    if isinstance(address, ipaddress.IPv6Address):
        # An IPv4 address wrapped in IPv6 is judged as the IPv4 address it reaches.
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return refusal(embedded)
        if address.is_site_local:
            return "a site-local address"
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address (where cloud metadata services live)"
    if address.is_multicast:
        return "a multicast address"
    if isinstance(address, ipaddress.IPv4Address) and address in _CGNAT:
        return "a carrier-grade NAT address"
    if address.is_reserved:
        return "a reserved address"
    if address.is_private or not address.is_global:
        return "a private address"
    return ""


def system_resolver(host: str, port: int, seconds: float) -> list[str]:
    """The host's addresses from the system resolver, within `seconds` (TimeoutError if not)."""
    found: list[str] = []
    failure: list[OSError | UnicodeError] = []

    def look_up() -> None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            found.extend(dict.fromkeys(str(info[4][0]) for info in infos))
        except (OSError, UnicodeError) as error:  # UnicodeError: a name IDNA cannot encode
            failure.append(error)

    # getaddrinfo cannot be interrupted; a thread lets the fetch's deadline cover it anyway
    # (the thread ends when the system resolver gives up).
    worker = threading.Thread(target=look_up, daemon=True, name="briefing-resolve")
    worker.start()
    worker.join(max(seconds, 0.0))
    if worker.is_alive():
        raise TimeoutError(f"resolving {host}")
    if failure:
        raise failure[0]
    return found


def vet(
    url: str,
    host: str,
    port: int,
    *,
    reach: Reach,
    seconds: float,
    resolve: Resolver = system_resolver,
    origin: str = "",
) -> list[str]:
    """The addresses of `host` (in `url`) this fetch may connect to; BlockedAddressError if none.

    `origin` is the URL the fetch started from when `url` is a redirect's target. The caller
    connects to these very addresses (it never resolves the name again), so a name that
    answers differently the second time (DNS rebinding) cannot slip past.
    """
    try:
        answers: Sequence[str] = [str(ipaddress.ip_address(host))]  # a literal: no lookup
    except ValueError:
        answers = resolve(host, port, seconds)
    addresses: list[tuple[str, Address]] = []
    for answer in answers:
        try:
            addresses.append((answer, ipaddress.ip_address(answer)))
        except ValueError:
            continue
    if not addresses:
        raise SourceError(f"could not fetch {origin or url}: {host} has no usable address")
    if reach is not Reach.PUBLIC:
        return [text for text, _ in addresses]
    allowed = [text for text, address in addresses if not refusal(address)]
    if allowed:
        return allowed  # a name with public and private answers: only the public ones are used
    text, address = addresses[0]
    what = f"{text} is {refusal(address)}"
    if host.strip("[]") != text:
        what = f"{host} is {text}, {refusal(address)}"
    if origin:
        raise BlockedAddressError(
            f"could not fetch {origin}: it redirects to {url}, and {what}: a public page or a "
            f"feed's link may lead only to public addresses (for feed links, set {ALLOW_SWITCH} "
            "to allow private ones)"
        )
    raise BlockedAddressError(
        f"could not fetch {url}: {what}: feed links may reach only public addresses "
        f"(set {ALLOW_SWITCH} to allow private ones)"
    )

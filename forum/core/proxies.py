"""The client's address: the connection's peer, unless that peer is a proxy the operator configured.

``X-Forwarded-For`` is anyone's to write, so it is read only when the connection comes from an address listed in
``FORWARDED_ALLOW_IPS`` (addresses or networks, comma-separated; empty — the default — trusts no one). The
uvicorn command, ``make run`` and the Dockerfile all leave proxy headers to ``forum.web.proxies``, so one setting
decides everywhere. The list is read from the right: each hop a trusted proxy added is skipped, and the first
address not ours is the client (anything before it was written by the client and proves nothing).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(raw: str) -> tuple[IPNetwork, ...]:
    """``"10.0.0.1, 172.16.0.0/12"`` → networks; raises ValueError on anything else (a typo must not start)."""
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in raw.split(",") if part.strip())


def _address(text: str) -> IPAddress | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:51234"
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address: IPAddress | None, networks: Iterable[IPNetwork]) -> bool:
    return address is not None and any(address in network for network in networks)


def is_trusted_proxy(peer: str, networks: Iterable[IPNetwork]) -> bool:
    return _trusted(_address(peer), networks)


def client_address(peer: str, forwarded_for: list[str], networks: tuple[IPNetwork, ...]) -> str:
    """The address limits and logs should use for a connection from ``peer`` carrying these headers."""
    if not _trusted(_address(peer), networks):
        return peer
    hops = [hop for header in forwarded_for for hop in header.split(",")]
    client = peer
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # garbage from the client side: the last good hop stands
        client = str(address)
        if not _trusted(address, networks):
            break
    return client

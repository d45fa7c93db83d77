"""Where the lesson listens, and the QR code of its address.

By default only this machine can reach the lesson (127.0.0.1). With ``--lan`` it listens on the
machine's own network address, chosen by ``choose_lan_address`` from the candidates
``lan_candidates`` finds. Finding them sends nothing over the network: connecting a UDP socket only
asks the operating system which local address it would use for a route, and no packet is sent.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable, Sequence

LOOPBACK = "127.0.0.1"
# A documentation address (RFC 5737, TEST-NET-1): never a real host, only used to ask for a route.
_PROBE = ("192.0.2.1", 9)


class NoNetworkError(OSError):
    """No address on a local network was found for --lan."""


def lan_candidates() -> list[str]:
    """This machine's IPv4 addresses, the one on the default route first. Sends no traffic."""
    found: list[str] = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(_PROBE)  # UDP: picks the outgoing interface, sends nothing
            found.append(str(probe.getsockname()[0]))
    except OSError:
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET, socket.SOCK_STREAM):
            found.append(str(info[4][0]))
    except OSError:
        pass
    return list(dict.fromkeys(found))


def _rank(address: str) -> int | None:
    """Lower is better; None for an address students cannot reach."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if not isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast or ip.is_reserved:
        return None
    if ip in ipaddress.ip_network("192.0.2.0/24"):
        return None
    if ip in ipaddress.ip_network("192.168.0.0/16") or ip in ipaddress.ip_network("10.0.0.0/8"):
        return 0  # home and school networks
    if ip in ipaddress.ip_network("172.16.0.0/12"):
        return 1  # also private, but often a container's bridge
    if ip in ipaddress.ip_network("100.64.0.0/10"):
        return 2  # carrier-grade NAT, some VPNs
    return 3 if ip.is_global else None


def choose_lan_address(candidates: Iterable[str]) -> str:
    """The address to serve a classroom on: a private network address first, in the order found (the
    default route's first). NoNetworkError when there is none (no network, or loopback only)."""
    ranked = [(rank, index, address) for index, address in enumerate(candidates) if (rank := _rank(address)) is not None]
    if not ranked:
        raise NoNetworkError("this computer has no address on a local network (is it connected to the classroom's Wi-Fi?)")
    return min(ranked)[2]


def listen_address(lan: bool, candidates: Sequence[str] | None = None) -> str:
    if not lan:
        return LOOPBACK
    return choose_lan_address(lan_candidates() if candidates is None else candidates)


def url_for(host: str, port: int) -> str:
    return f"http://{host}:{port}/" if ":" not in host else f"http://[{host}]:{port}/"


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: any free port). OSError when the address is taken or not ours."""
    # proto given explicitly: asyncio turns Nagle's algorithm off (TCP_NODELAY) only on sockets that say
    # IPPROTO_TCP, and with it on, every page after the first on a kept-alive connection waited ~40 ms
    # for the browser's delayed ACK
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


def qr_rows(text: str) -> list[list[bool]]:
    """The QR code of text as rows of modules (True = dark), with the quiet zone around it."""
    import segno  # only when a lesson starts

    code = segno.make(text, error="m", micro=False)
    return [[bool(module) for module in row] for row in code.matrix_iter(scale=1, border=2)]

"""Where Civic may send a webhook, so that a partner's subscription cannot turn Civic into a
client of its own network (server-side request forgery).

A webhook goes only to a public address: never to loopback, private (RFC 1918, fc00::/7),
link-local (169.254/16, fe80::/10, the cloud metadata services among them), unspecified,
multicast, reserved or shared (CGNAT, 100.64/10) addresses, nor to their IPv4-mapped or NAT64
forms — unless the operator trusts the network in CIVIC_WEBHOOK_ALLOWED_NETWORKS (an in-house
receiver; outside production the loopback networks, for the demo and the tests). Production
sends only over https.

Checked when a partner subscribes (the answer names the reason) and again before each
delivery, after the host name is resolved: every address it resolves to must pass, and the
delivery connects to one of those very addresses (post.py), so a name that resolves to
something else a moment later (DNS rebinding) gains nothing.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
net = ipaddress.ip_network

#: In the order they are named: the most telling name first (metadata before link-local).
_KINDS = (
    ("cloud metadata", (net("169.254.169.254/32"), net("fd00:ec2::254/128"))),
    ("unspecified", (net("0.0.0.0/8"), net("::/128"))),
    ("loopback", (net("127.0.0.0/8"), net("::1/128"))),
    ("private", (net("10.0.0.0/8"), net("172.16.0.0/12"), net("192.168.0.0/16"), net("fc00::/7"))),
    ("link-local", (net("169.254.0.0/16"), net("fe80::/10"))),
    ("shared (carrier-grade NAT)", (net("100.64.0.0/10"),)),
    ("multicast", (net("224.0.0.0/4"), net("ff00::/8"))),
)
#: IPv6 prefixes whose addresses carry an IPv4 address that a gateway connects to.
_NAT64 = (net("64:ff9b::/96"), net("64:ff9b:1::/48"))


class AddressRefused(Exception):
    """A webhook address Civic will not send to; the message says why, for the partner or the
    operator."""


@dataclass(frozen=True)
class Target:
    """A checked webhook address: the URL's parts and the addresses to connect to."""

    parts: SplitResult
    host: str
    port: int
    addresses: tuple[tuple[socket.AddressFamily, tuple], ...]


def _kind_names() -> dict[str, str]:
    # Spelled out for translation; the English names above key them.
    return {
        "cloud metadata": _("a cloud metadata address"),
        "unspecified": _("an unspecified address"),
        "loopback": _("a loopback address"),
        "private": _("a private address"),
        "link-local": _("a link-local address"),
        "shared (carrier-grade NAT)": _("a shared (carrier-grade NAT) address"),
        "multicast": _("a multicast address"),
        "reserved": _("a reserved or not publicly routable address"),
    }


def allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [net(item, strict=False) for item in settings.WEBHOOK_ALLOWED_NETWORKS]


def _kind(address: IPAddress) -> str | None:
    for kind, networks in _KINDS:
        if any(address in network for network in networks if network.version == address.version):
            return kind
    if address.is_reserved or not address.is_global or address in net("192.0.0.0/24"):
        return "reserved"
    return None


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (mapped, 6to4 or NAT64), if any."""
    if address.version != 6:
        return None
    if address.ipv4_mapped or address.sixtofour:
        return address.ipv4_mapped or address.sixtofour
    if any(address in prefix for prefix in _NAT64):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_refusal(address: IPAddress) -> str | None:
    """Why a webhook may not go to ``address``, or None when it may."""
    networks = allowed_networks()
    if any(address in network for network in networks if network.version == address.version):
        return None
    inner = _embedded_ipv4(address)
    if inner is not None:  # the connection goes to the IPv4 address it stands for
        why = address_refusal(inner)
        if why is None:
            return None
        return _("%(address)s stands for %(inner)s: %(why)s") % {
            "address": address,
            "inner": inner,
            "why": why,
        }
    kind = _kind(address)
    if kind is None:
        return None
    return _("%(address)s is %(kind)s") % {"address": address, "kind": _kind_names()[kind]}


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None


def _url_parts(url: str) -> tuple[SplitResult, str, int]:
    """The URL's parts, host and port, or AddressRefused naming what is wrong with it."""
    parts = urlsplit(url)
    schemes = ("https",) if settings.PRODUCTION else ("https", "http")
    if parts.scheme not in schemes:
        raise AddressRefused(
            _("Civic sends webhooks only to https:// addresses.")
            if settings.PRODUCTION
            else _("A webhook needs an https:// (or http://) address.")
        )
    if not parts.hostname:
        raise AddressRefused(_("The webhook address names no host."))
    if parts.username or parts.password:
        raise AddressRefused(
            _("A webhook address carries no user name or password; deliveries are signed.")
        )
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise AddressRefused(
            _("The webhook address's port is not a number from 1 to 65535.")
        ) from None
    return parts, parts.hostname, port


def _resolved(host: str, port: int) -> list[tuple[socket.AddressFamily, tuple]]:
    literal = _literal(host)
    if literal is not None:
        family = socket.AF_INET6 if literal.version == 6 else socket.AF_INET
        return [(family, (host, port, 0, 0) if literal.version == 6 else (host, port))]
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    addresses: list[tuple[socket.AddressFamily, tuple]] = []
    for family, _type, _proto, _name, sockaddr in found:
        if (family, sockaddr) not in addresses:
            addresses.append((family, sockaddr))
    return addresses


def _check(host: str, addresses: list[tuple[socket.AddressFamily, tuple]]) -> None:
    refusals = [
        why
        for _family, sockaddr in addresses
        if (why := address_refusal(_literal(sockaddr[0]))) is not None
    ]
    if refusals:
        raise AddressRefused(
            _("Civic does not send webhooks to %(host)s: %(why)s.")
            % {"host": host, "why": "; ".join(refusals)}
        )


def webhook_target(url: str) -> Target:
    """Resolve the webhook's host once and check every address it resolves to; the delivery
    connects to these (raises AddressRefused)."""
    parts, host, port = _url_parts(url)
    try:
        addresses = _resolved(host, port)
    except OSError as error:
        raise AddressRefused(
            _("The host %(host)s could not be resolved (%(error)s).")
            % {"host": host, "error": error}
        ) from None
    if not addresses:
        raise AddressRefused(_("The host %(host)s has no address.") % {"host": host})
    _check(host, addresses)
    return Target(parts, host, port, tuple(addresses))


def webhook_url_refusal(url: str) -> str | None:
    """Why a partner may not subscribe with ``url``, or None. A host that does not resolve yet
    is accepted (its records may come later): each delivery checks it again."""
    try:
        _parts, host, port = _url_parts(url)
        try:
            addresses = _resolved(host, port)
        except OSError:
            return None
        _check(host, addresses)
    except AddressRefused as refused:
        return str(refused)
    return None

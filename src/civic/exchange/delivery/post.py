"""POSTing one webhook: to the very address that was checked, never following a redirect.

The host name is resolved once (addresses.webhook_target) and every address checked; the
connection goes to one of those addresses, while the Host header, TLS SNI and the certificate
check use the host name, as for any https request. No proxy from the environment is used
(it would connect elsewhere than what was checked). A 3xx answer is a failed attempt, retried
and finally dead-lettered like any other, with the redirect named in the error.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from functools import lru_cache

from django.conf import settings

from civic.exchange.delivery.addresses import AddressRefused, Target, webhook_target


class DeliveryFailed(Exception):
    """The receiver did not take the delivery; the message says what it answered."""


@lru_cache(maxsize=4)
def _tls_context(ca_file: str) -> ssl.SSLContext:
    """The system's trusted authorities (SSL_CERT_FILE, if set, names them), and those of
    CIVIC_WEBHOOK_CA_FILE besides; TLS 1.2 or newer, the certificate checked against the
    webhook's host name."""
    context = ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context


def _connected(target: Target, timeout: float) -> socket.socket:
    """A TCP connection to the first of the checked addresses that answers."""
    failure: OSError | None = None
    for family, sockaddr in target.addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(sockaddr)
        except OSError as error:
            sock.close()
            failure = error
            continue
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock
    raise failure or OSError(f"no address of {target.host} answered")


def _connection(target: Target, timeout: float) -> http.client.HTTPConnection:
    sock = _connected(target, timeout)
    if target.parts.scheme == "https":
        context = _tls_context(settings.WEBHOOK_CA_FILE)
        try:
            sock = context.wrap_socket(sock, server_hostname=target.host)
        except OSError:
            sock.close()
            raise
        connection = http.client.HTTPSConnection(
            target.host, target.port, timeout=timeout, context=context
        )
    else:
        connection = http.client.HTTPConnection(target.host, target.port, timeout=timeout)
    # Already connected to the checked address: http.client sends on it and never resolves
    # the name itself.
    connection.sock = sock
    return connection


def webhook_post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST ``body`` to ``url``; returns the 2xx status, or raises DeliveryFailed,
    AddressRefused or an OSError (refused, timed out, a certificate that does not match)."""
    target = webhook_target(url)
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    connection = _connection(target, timeout)
    path = target.parts.path or "/"
    if target.parts.query:
        path += "?" + target.parts.query
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        status = response.status
        location = response.getheader("Location", "")
    finally:
        connection.close()
    if 300 <= status < 400:
        raise DeliveryFailed(
            f"the receiver answered {status} (a redirect to {location[:200] or 'nowhere'}); "
            "Civic does not follow redirects, so give it the address that takes the delivery"
        )
    if not 200 <= status < 300:
        raise DeliveryFailed(f"the receiver answered {status}")
    return status


__all__ = ["AddressRefused", "DeliveryFailed", "webhook_post"]

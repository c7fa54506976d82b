"""Webhooks cannot be turned against Civic's own network (server-side request forgery): a
subscription to a loopback, private, link-local, metadata, shared, multicast or reserved
address — or a name that resolves to one — is refused with the reason, and nothing is stored;
each delivery checks the resolved addresses again and connects to the very address it checked;
a redirect is never followed; production sends only over https, trusting an operator's CA.
The receivers are real servers on loopback ports (allowed outside production by default)."""

from __future__ import annotations

import socket

import pytest

from civic.exchange import services
from civic.exchange.delivery import deliveries_dispatch
from civic.exchange.models import Delivery, Subscription
from civic.registers.changes import MOVED
from tests.builders import a_registered_resident
from tests.exchange.builders import create_partner, create_purpose
from tests.exchange.receivers import Receiver, self_signed_certificate
from tests.exchange.test_api import basic, post
from tests.exchange.test_events import MOVE_FIELDS, later, move

SUBSCRIBE = "/api/exchange/v1/subscriptions"


@pytest.fixture
def partner(db):
    purpose = create_purpose(code="address-updates")
    client, secret, _ = create_partner(purpose=purpose, attributes=MOVE_FIELDS)
    return purpose, client, secret


def subscribe(django_client, partner, url: str):
    purpose, client, secret = partner
    body = {"register": "persons", "purpose": purpose.code, "event_types": [MOVED], "url": url}
    return post(django_client, SUBSCRIBE, body, basic(client.client_id, secret))


def subscription_for(partner, url: str) -> Subscription:
    purpose, client, _ = partner
    return services.subscription_create(
        purpose=purpose, register="persons", event_types=[MOVED], api_client=client, url=url
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:8199/hook", "127.0.0.1 is a loopback address"),
        ("http://localhost:8199/hook", "127.0.0.1 is a loopback address"),
        ("http://[::1]:8199/hook", "::1 is a loopback address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address"),
        ("http://[fd00:ec2::254]/latest/", "fd00:ec2::254 is a cloud metadata address"),
        ("http://169.254.10.1/", "169.254.10.1 is a link-local address"),
        ("http://[fe80::1]/", "fe80::1 is a link-local address"),
        ("http://10.1.2.3/hook", "10.1.2.3 is a private address"),
        ("http://172.16.5.4/hook", "172.16.5.4 is a private address"),
        ("http://192.168.1.1/hook", "192.168.1.1 is a private address"),
        ("http://[fd12:3456::1]/hook", "fd12:3456::1 is a private address"),
        ("http://0.0.0.0:8199/", "0.0.0.0 is an unspecified address"),
        ("http://[::]:8199/", ":: is an unspecified address"),
        ("http://100.64.0.1/", "100.64.0.1 is a shared (carrier-grade NAT) address"),
        ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
        ("http://240.0.0.1/", "240.0.0.1 is a reserved or not publicly routable address"),
        ("http://192.0.0.8/", "192.0.0.8 is a reserved or not publicly routable address"),
        (
            "http://[::ffff:127.0.0.1]:8199/",
            "::ffff:7f00:1 stands for 127.0.0.1: 127.0.0.1 is a loopback address",
        ),
        (
            "http://[::ffff:169.254.169.254]/",
            "stands for 169.254.169.254: 169.254.169.254 is a cloud metadata address",
        ),
        ("http://[64:ff9b::a00:1]/", "stands for 10.0.0.1: 10.0.0.1 is a private address"),
    ],
)
def test_a_subscription_to_an_address_inside_the_network_is_refused_with_the_reason(
    client, partner, settings, url, reason
):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    response = subscribe(client, partner, url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert reason in problem["detail"], problem
    assert problem["type"].endswith("/problems/webhook-address-refused")
    assert not Subscription.objects.filter(url=url).exists()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://partner.example/hook", "needs an https:// (or http://) address"),
        ("https://user:secret@partner.example/hook", "no user name or password"),
        ("https://partner.example:99999/hook", "port is not a number"),
        ("https:///hook", "names no host"),
    ],
)
def test_a_malformed_webhook_address_is_refused(client, partner, url, reason):
    response = subscribe(client, partner, url)
    assert response.status_code == 400 and reason in response.json()["detail"]
    assert not Subscription.objects.filter(url=url).exists()


def test_production_accepts_only_https(client, partner, settings):
    settings.PRODUCTION = True
    refused = subscribe(client, partner, "http://partner.example/hook")
    assert refused.status_code == 400
    assert "only to https:// addresses" in refused.json()["detail"]
    assert subscribe(client, partner, "https://partner.example/hook").status_code == 201


def test_a_network_the_operator_trusts_is_accepted_and_no_other(client, partner, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["10.20.0.0/24"]
    assert subscribe(client, partner, "https://10.20.0.5/hook").status_code == 201
    assert subscribe(client, partner, "https://10.20.1.5/hook").status_code == 400
    assert subscribe(client, partner, "https://127.0.0.1/hook").status_code == 400


def test_a_dutch_partner_reads_the_reason_in_dutch(client, partner, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    purpose, api_client, secret = partner
    body = {"register": "persons", "purpose": purpose.code, "event_types": [MOVED]}
    response = client.post(
        SUBSCRIBE,
        {**body, "url": "http://10.1.2.3/hook"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="nl",
        **basic(api_client.client_id, secret),
    )
    assert response.status_code == 400
    assert "10.1.2.3 is een privéadres" in response.json()["detail"]


# -- at delivery time ---------------------------------------------------------------------


def test_a_receiver_on_a_network_no_longer_trusted_gets_nothing(partner, settings, monkeypatch):
    """Subscribed while the operator trusted loopback; by the delivery it no longer does."""
    settings.WEBHOOK_RETRY_SCHEDULE = ["1"]
    with Receiver() as receiver:
        subscription_for(partner, receiver.url(host="localhost"))
        settings.WEBHOOK_ALLOWED_NETWORKS = []
        move(a_registered_resident())
        assert deliveries_dispatch() == 0
        later(monkeypatch, 2)
        deliveries_dispatch()
    assert receiver.requests == []
    delivery = Delivery.objects.get()
    assert delivery.status == "dead" and delivery.attempts == 2
    assert "127.0.0.1 is a loopback address" in delivery.last_error


class Resolver:
    """A DNS server that cannot run here (getaddrinfo reads /etc/hosts and the machine's
    resolver): answers for one name from a script, one answer per lookup, and counts them."""

    def __init__(self, name: str, answers: list[str]):
        self.name, self.answers, self.lookups = name, answers, 0
        self.real = socket.getaddrinfo

    def __call__(self, host, port, *args, **kwargs):
        if host != self.name:
            return self.real(host, port, *args, **kwargs)
        address = self.answers[min(self.lookups, len(self.answers) - 1)]
        self.lookups += 1
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]


def test_a_name_that_rebinds_to_loopback_after_subscribing_is_refused_at_delivery(
    partner, settings, monkeypatch
):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    with Receiver() as receiver:
        # Public when the partner subscribes, loopback when Civic delivers.
        resolver = Resolver("rebinding.partner.example", ["93.184.215.14", "127.0.0.1"])
        monkeypatch.setattr(socket, "getaddrinfo", resolver)
        subscription_for(partner, receiver.url(host="rebinding.partner.example"))
        move(a_registered_resident())
        deliveries_dispatch()
    assert receiver.requests == []
    assert "127.0.0.1 is a loopback address" in Delivery.objects.get().last_error


def test_the_delivery_connects_to_the_address_it_checked_and_names_the_host(partner, monkeypatch):
    """Resolved once per attempt: a second answer (a private address) is never asked for, so
    the connection goes where the check looked; the Host header keeps the name."""
    with Receiver() as receiver:
        resolver = Resolver("hooks.partner.example", ["127.0.0.1", "10.0.0.1"])
        subscription_for(partner, receiver.url(host="hooks.partner.example"))
        monkeypatch.setattr(socket, "getaddrinfo", resolver)
        event = move(a_registered_resident())
        assert deliveries_dispatch() == 1
    [request] = receiver.requests
    assert request.event["id"] == event.id
    assert request.headers["host"] == f"hooks.partner.example:{receiver.port}"
    assert resolver.lookups == 1


def test_a_redirect_is_not_followed_and_the_delivery_ends_dead_with_the_reason(
    partner, settings, monkeypatch
):
    settings.WEBHOOK_RETRY_SCHEDULE = ["1"]
    with Receiver() as inside, Receiver() as redirecting:
        redirecting.answers = [(307, inside.url()), (302, inside.url())]
        subscription_for(partner, redirecting.url())
        move(a_registered_resident())
        assert deliveries_dispatch() == 0
        later(monkeypatch, 2)
        assert deliveries_dispatch() == 0
    assert inside.requests == []
    assert [r.status for r in redirecting.requests] == [307, 302]
    delivery = Delivery.objects.get()
    assert delivery.status == "dead"
    assert f"answered 302 (a redirect to {inside.url()})" in delivery.last_error
    assert "does not follow redirects" in delivery.last_error


def test_production_does_not_deliver_over_plain_http(partner, settings):
    with Receiver() as receiver:
        subscription_for(partner, receiver.url())  # made before the installation went live
        settings.PRODUCTION = True
        move(a_registered_resident())
        deliveries_dispatch()
    assert receiver.requests == []
    assert "only to https:// addresses" in Delivery.objects.get().last_error


def test_an_https_receiver_is_trusted_through_the_operators_ca_file(partner, settings, tmp_path):
    certificate, key = self_signed_certificate(tmp_path)
    with Receiver(tls=(certificate, key)) as receiver:
        subscription_for(partner, receiver.url())
        move(a_registered_resident())
        assert deliveries_dispatch() == 0  # not trusted yet
        assert "CERTIFICATE_VERIFY_FAILED" in Delivery.objects.get().last_error
        settings.WEBHOOK_CA_FILE = str(certificate)
        Delivery.objects.update(next_attempt_at=Delivery.objects.get().created_at)
        assert deliveries_dispatch() == 1
    assert len(receiver.accepted) == 1


def test_a_certificate_for_another_name_is_refused(partner, settings, tmp_path):
    """The connection goes to the checked address, but the certificate must be the name's."""
    certificate, key = self_signed_certificate(tmp_path, host="127.0.0.1")
    settings.WEBHOOK_CA_FILE = str(certificate)
    with Receiver(tls=(certificate, key)) as receiver:
        subscription_for(partner, receiver.url(host="localhost"))
        move(a_registered_resident())
        assert deliveries_dispatch() == 0
    assert receiver.accepted == []
    assert "localhost" in Delivery.objects.get().last_error

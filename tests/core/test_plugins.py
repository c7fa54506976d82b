"""The one plugin pattern: a registry of plugins of one kind, by key, with their base class."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from civic.core.plugins import Registry
from civic.forms.prefill import Binding, prefill_sources
from civic.forms.scanning.base import Scanner
from civic.forms.scanning.registry import scanners
from civic.identity.login.registry import enabled_methods, login_methods
from civic.notify.sms import SmsProvider, provider, providers


class Greeter:
    key = "base"

    def greet(self) -> str:
        raise NotImplementedError


#: Registered by tests/core/plugin_contrib.py, which the registry imports on first use.
greeters: Registry[type[Greeter]] = Registry(
    "greeter", Greeter, contrib=["tests.core.plugin_contrib"]
)


class Outside(Greeter):
    """A plugin that lives outside the registry's contrib, named by its dotted path."""

    def greet(self) -> str:
        return "hoi"


def test_a_plugin_is_found_by_its_key_once_its_contrib_module_is_imported_on_first_use():
    assert greeters.keys() == ["english", "welsh"]
    assert greeters.get("welsh")().greet() == "shwmae"
    assert greeters.resolve("english")().greet() == "hello"
    assert "english" in greeters and "dutch" not in greeters
    assert list(greeters) == ["english", "welsh"]


def test_an_unknown_key_is_refused_naming_the_setting_and_every_known_key():
    with pytest.raises(ImproperlyConfigured) as error:
        greeters.resolve("engish", setting="CIVIC_GREETER")
    assert str(error.value) == "CIVIC_GREETER names no greeter 'engish'; known: english, welsh."
    with pytest.raises(ImproperlyConfigured, match="no greeter 'dutch'; known: english, welsh"):
        greeters.get("dutch")


def test_a_plugin_outside_civic_is_named_by_its_dotted_path_and_checked_against_the_base():
    assert greeters.resolve("tests.core.test_plugins.Outside") is Outside
    with pytest.raises(ImproperlyConfigured, match=r"must be a subclass .* of tests\.core"):
        greeters.resolve("tests.core.test_plugins.Registry", setting="CIVIC_GREETER")
    with pytest.raises(
        ImproperlyConfigured,
        match=r"CIVIC_GREETER: greeter 'tests\.core\.nope\.X' "
        r"cannot be imported .*; known keys: english, welsh",
    ):
        greeters.resolve("tests.core.nope.X", setting="CIVIC_GREETER")


def test_a_plugin_must_derive_from_the_base_and_have_a_key_of_its_own():
    registry: Registry[type[Greeter]] = Registry("greeter", Greeter)

    class NotAGreeter:
        key = "stranger"

    with pytest.raises(ImproperlyConfigured, match="'stranger' is not usable as greeter"):
        registry.register(NotAGreeter)

    class Keyless(Greeter):
        pass

    with pytest.raises(TypeError, match="needs a key of its own"):
        registry.register(Keyless)
    assert registry.keys() == []


def test_two_plugins_under_one_key_are_refused_and_registering_one_twice_is_harmless():
    registry: Registry[type[Greeter]] = Registry("greeter", Greeter)

    @registry.register
    class First(Greeter):
        key = "hello"

    assert registry.register(First) is First

    class Second(Greeter):
        key = "hello"

    with pytest.raises(ValueError, match="two greeters under the key 'hello'"):
        registry.register(Second)
    assert registry.get("hello") is First


def test_a_key_may_be_given_at_registration_for_plugins_that_are_data():
    registry: Registry[str] = Registry("word", str)
    registry.register("hallo", key="nl")
    registry.register(key="en")("hello")
    assert registry["nl"] == "hallo" and registry.items() == [("en", "hello"), ("nl", "hallo")]


def test_civic_s_own_plugins_are_registered_by_their_contrib_modules():
    assert scanners.keys() == ["clamd", "none"]
    assert all(issubclass(cls, Scanner) for _key, cls in scanners.items())
    assert providers.keys() == ["outbox"]
    assert all(issubclass(cls, SmsProvider) for _key, cls in providers.items())
    assert login_methods.keys() == ["oidc", "onetimecode"]
    assert "person.given_names" in prefill_sources and "income.last_year" in prefill_sources
    assert all(isinstance(b, Binding) for _key, b in prefill_sources.items())


def test_the_login_page_offers_the_methods_in_the_order_the_setting_lists_them(settings):
    settings.RESIDENT_LOGIN_METHODS = ["oidc", "onetimecode"]
    assert [m.key for m in enabled_methods()] == ["oidc", "onetimecode"]


def test_the_sms_provider_setting_takes_a_key_or_the_former_dotted_path(settings):
    settings.SMS_PROVIDER = "outbox"
    by_key = provider()
    settings.SMS_PROVIDER = "civic.notify.sms.OutboxProvider"
    assert provider() is by_key and by_key.key == "outbox"

"""One plugin pattern for every pluggable part of Civic: a base class, a registry, contrib.

A *kind* of plugin (virus scanners, SMS providers, resident login methods, prefill sources,
event handlers) is a :class:`Registry` next to the base class its plugins share. Plugins that
ship with Civic live in that kind's ``contrib`` package and register themselves by key with
:meth:`Registry.register`; the registry imports its contrib modules the first time it is asked,
so an app never imports a plugin by hand. A setting then chooses plugins by key
(``CIVIC_UPLOAD_SCANNER=clamd``) or, for a plugin that lives outside Civic, by dotted path to
a class of the right base (``CIVIC_SMS_PROVIDER=acme_sms.AcmeProvider``).

Example, the upload scanners (docs/plugins.md has every kind)::

    # civic/forms/scanning/base.py
    class Scanner:
        key = "base"
        def scan(self, file): raise NotImplementedError

    # civic/forms/scanning/registry.py
    scanners = Registry("upload scanner", Scanner, contrib=["civic.forms.scanning.contrib.none", ...])

    # civic/forms/scanning/contrib/none.py
    @scanners.register
    class NoScanner(Scanner):
        key = "none"
        ...

    scanners.resolve(settings.UPLOAD_SCANNER, setting="CIVIC_UPLOAD_SCANNER")  # -> NoScanner

Each app resolves its plugin settings in its ``AppConfig.ready``, so a typo stops every process
at start with the known keys in the message.

Why one pattern: four hand-made ones (an if on a setting, an ``import_string``, a dict of
methods, a list of functions) each answered differently to a typo in a setting, and a new
contributor had to learn each. A registry answers a typo with the keys it knows.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

T = TypeVar("T")


def _own_key(item: object) -> str | None:
    """``item``'s ``key``; for a class, one it sets itself (not its base class's)."""
    if isinstance(item, type):
        return item.__dict__.get("key")
    return getattr(item, "key", None)


def _same(one: object, other: object) -> bool:
    """The same plugin, or the same class defined again (its module imported a second time)."""
    if one is other:
        return True
    return (
        isinstance(one, type)
        and isinstance(other, type)
        and (one.__module__, one.__qualname__) == (other.__module__, other.__qualname__)
    )


class Registry(Generic[T]):
    """The plugins of one kind, by key.

    ``kind`` names the kind in error messages ("SMS provider"); ``base`` is the class every
    plugin derives from (a subclass, or an instance for plugins that are plain data such as
    prefill sources; ``None`` checks nothing); ``contrib`` the modules that register the
    plugins shipped with Civic, imported on first use.
    """

    def __init__(self, kind: str, base: type | None = None, *, contrib: Iterable[str] = ()):
        self.kind = kind
        self.base = base
        self._contrib = tuple(contrib)
        self._plugins: dict[str, T] = {}
        self._loaded = False
        self._lock = threading.RLock()  # a contrib module may ask its registry while loading

    def register(self, plugin: T | None = None, *, key: str | None = None):
        """Register ``plugin`` under ``key`` (default: its ``key`` attribute). Usable as a
        decorator, with or without arguments. Registering the same plugin twice is harmless;
        a different plugin under a taken key is a programming error."""

        def add(item: T) -> T:
            name = key or _own_key(item)
            if not name:
                raise TypeError(f"every {self.kind} needs a key of its own: {item!r}")
            self._check_base(item, str(name))
            existing = self._plugins.get(name)
            if existing is not None and not _same(existing, item):
                raise ValueError(f"two {self.kind}s under the key {name!r}: {existing!r}, {item!r}")
            self._plugins[name] = item
            return item

        return add(plugin) if plugin is not None else add

    def _check_base(self, item: object, where: str) -> None:
        if self.base is None:
            return
        if isinstance(item, self.base) or (isinstance(item, type) and issubclass(item, self.base)):
            return
        raise ImproperlyConfigured(
            f"{where!r} is not usable as {self.kind}: it must be a subclass (or an instance) of "
            f"{self.base.__module__}.{self.base.__qualname__}."
        )

    def _load(self) -> None:
        if self._loaded:
            return
        with self._lock:
            if not self._loaded:
                for module in self._contrib:
                    importlib.import_module(module)
                self._loaded = True

    def keys(self) -> list[str]:
        self._load()
        return sorted(self._plugins)

    def items(self) -> list[tuple[str, T]]:
        self._load()
        return sorted(self._plugins.items())

    def __contains__(self, key: str) -> bool:
        self._load()
        return key in self._plugins

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __getitem__(self, key: str) -> T:
        return self.get(key)

    def get(self, key: str, *, setting: str = "") -> T:
        """The plugin registered under ``key``; ImproperlyConfigured naming the known keys (and
        ``setting``, the variable that named ``key``, when given)."""
        self._load()
        try:
            return self._plugins[key]
        except KeyError:
            known = ", ".join(self.keys()) or "none"
            where = f"{setting} names no {self.kind}" if setting else f"no {self.kind}"
            raise ImproperlyConfigured(f"{where} {key!r}; known: {known}.") from None

    def resolve(self, name: str, *, setting: str = "") -> T:
        """A setting's value: a registered key, or a dotted path to a plugin outside Civic
        (checked against the base class). Never give it text from data (a form definition, a
        request): a dotted path imports code; look data up with :meth:`get`."""
        self._load()
        if name in self._plugins or "." not in name:
            return self.get(name, setting=setting)
        try:
            item = import_string(name)
        except ImportError as error:
            where = f"{setting}: " if setting else ""
            known = ", ".join(self.keys()) or "none"
            raise ImproperlyConfigured(
                f"{where}{self.kind} {name!r} cannot be imported ({error}); known keys: {known}."
            ) from None
        self._check_base(item, f"{setting}={name}" if setting else name)
        return item

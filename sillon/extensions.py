"""One way to extend a page from the apps above it: extension points.

A lower app declares an :class:`ExtensionPoint` where its pages (or its engine) take
contributions they cannot import: ``parcours`` declares the panels of a session's page,
``organisations`` the home page's panels and the main navigation, ``notifications`` the
reminder rules. An app above contributes by connecting a receiver, in its
``extensions.py`` (or ``reminders.py`` for reminder rules), that returns its
contribution, or ``None`` to add nothing::

    # evaluation/extensions.py
    from django.dispatch import receiver
    from parcours.extensions import session_panels

    @receiver(session_panels, dispatch_uid="evaluation.session_panel")
    def session_panel(sender, *, request, organisation, session, **kwargs):
        return HomeSection(...) or None

The page collects: ``session_panels.collect(request=…, organisation=…, session=…)``.

It is a Django ``Signal`` whose results are kept, as pretix does for its navigation:
receivers run in the order of ``INSTALLED_APPS`` (``SillonConfig.ready`` imports every
app's ``extensions`` and ``reminders`` modules, in that order), so the layers give the
order of the panels. A contribution whose place is not its app's gives an explicit
``order`` (default 0; lower first, ties in ``INSTALLED_APPS`` order)::

    @receiver(navigation, dispatch_uid="parcours.reminders_navigation", order=1)

``extension_points()`` lists every point and who contributes to it
(``tests/test_extensions.py`` pins that list).
"""

from __future__ import annotations

import weakref

from django.dispatch import Signal

_points: dict[str, ExtensionPoint] = {}


class ExtensionPoint(Signal):
    """A place that apps above the declaring one contribute to.

    ``many``: each receiver returns a list (navigation entries, reminder rules) and
    ``collect`` flattens them; otherwise each returns one item or ``None``.
    """

    def __init__(self, name: str, doc: str, *, many: bool = False) -> None:
        super().__init__()
        if name in _points:
            raise ValueError(f"extension point {name!r} is declared twice")
        self.name = name
        self.doc = doc
        self.many = many
        # The explicit ``order`` of the receivers that gave one, by lookup key.
        self._orders: dict = {}
        _points[name] = self

    def connect(self, receiver, sender=None, weak=True, dispatch_uid=None, *, order=0):
        """Connect as ``Signal.connect`` does; ``order`` places the receiver among the
        others (lower first; ties keep the order of connection, i.e. INSTALLED_APPS)."""
        known = {key for key, *_rest in self.receivers}
        super().connect(receiver, sender=sender, weak=weak, dispatch_uid=dispatch_uid)
        with self.lock:
            for key, *_rest in self.receivers:
                if key not in known:
                    self._orders[key] = order
            self.receivers.sort(key=lambda entry: self._orders.get(entry[0], 0))
            self.sender_receivers_cache.clear()

    def disconnect(self, receiver=None, sender=None, dispatch_uid=None) -> bool:
        disconnected = super().disconnect(receiver, sender=sender, dispatch_uid=dispatch_uid)
        with self.lock:
            live = {key for key, *_rest in self.receivers}
            for key in set(self._orders) - live:
                del self._orders[key]
        return disconnected

    def collect(self, **kwargs) -> list:
        """Every contribution, by ``order`` then in the order of ``INSTALLED_APPS``;
        ``None`` dropped."""
        collected: list = []
        for _receiver, value in self.send(sender=None, **kwargs):
            if value is None:
                continue
            if self.many:
                collected.extend(value)
            else:
                collected.append(value)
        return collected

    def contributors(self) -> list[str]:
        """The dotted names of the receivers connected, in order."""
        names = []
        for _key, reference, *_rest in self.receivers:
            function = reference() if isinstance(reference, weakref.ref) else reference
            if function is None:
                continue
            name = getattr(function, "__qualname__", type(function).__qualname__)
            names.append(f"{function.__module__}.{name}")
        return names

    def __repr__(self) -> str:
        return f"<ExtensionPoint {self.name}>"


def extension_points() -> dict[str, ExtensionPoint]:
    """Every extension point declared, by name."""
    return dict(_points)


# Modules of each installed app that connect receivers, imported by SillonConfig.ready.
# ``actions``: the labels of audited actions (``organisations.audit.action_labels``).
CONTRIBUTION_MODULES = ("extensions", "reminders", "actions")

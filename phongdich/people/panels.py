"""Sections of a person's page that other apps contribute (cases, quarantine, tracing …).

``people`` sits below the surveillance apps (imports run one way), yet a person's page must show
their cases, quarantine episodes, exposure flags and movements. Each of those apps registers a
panel here in its ``AppConfig.ready``; the page asks every registered panel, in order, for what
it has to show about the person for this user. A panel returns ``None`` to stay hidden.

The person's page itself is the audited read: panels only add what belongs to that record and
must not widen what the user may see (they get the person already resolved through the scope).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from .models import Person


@dataclass(frozen=True)
class PanelRow:
    """One line of a panel: a label, the text, an optional link and an optional badge colour."""

    text: str
    url: str = ""
    note: str = ""
    badge: str = ""
    badge_class: str = ""


@dataclass(frozen=True)
class PanelAction:
    label: str | Promise
    url: str


@dataclass(frozen=True)
class Panel:
    key: str
    title: str | Promise
    rows: list[PanelRow] = field(default_factory=list)
    empty: str | Promise = ""
    actions: list[PanelAction] = field(default_factory=list)
    more_url: str = ""


PanelProvider = Callable[[Person, Any], Panel | None]

_providers: list[tuple[int, str, PanelProvider]] = []


def register_panel(key: str, provider: PanelProvider, *, order: int = 100) -> None:
    """Register (or replace) the panel ``key``; lower ``order`` comes first."""
    _providers[:] = [entry for entry in _providers if entry[1] != key]
    _providers.append((order, key, provider))
    _providers.sort(key=lambda entry: (entry[0], entry[1]))


def panels_for(person: Person, user: Any) -> list[Panel]:
    """The panels that have something to show about ``person`` for ``user``."""
    shown = []
    for _order, _key, provider in _providers:
        panel = provider(person, user)
        if panel is not None:
            shown.append(panel)
    return shown

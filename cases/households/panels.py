"""Panels that apps on higher floors add to the household page (e.g. charity grants beside government aid).

An app registers `panel(request, household) -> dict | None` from its AppConfig.ready(); the dict names a
`template` and carries its context; None (no reach, nothing to show) leaves the panel out. The page never
imports the apps that contribute."""
from collections.abc import Callable

HOUSEHOLD_PANELS: list[Callable] = []


def register(panel: Callable) -> None:
    if panel not in HOUSEHOLD_PANELS:
        HOUSEHOLD_PANELS.append(panel)


def panels_for(request, household) -> list[dict]:
    return [p for p in (panel(request, household) for panel in HOUSEHOLD_PANELS) if p]

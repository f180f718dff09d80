"""Collect per-app contributions (menu entries, schedules, API routes) without the ground floor importing apps.

An app contributes by defining a module attribute, e.g. `cases/navigation.py: ENTRIES = [...]`.
"""
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


def collect(module: str, attribute: str) -> list:
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.{module}"
        try:
            spec = find_spec(name)
        except ModuleNotFoundError:
            spec = None
        if spec is not None:
            module_obj = import_module(name)
            if hasattr(module_obj, attribute):
                found.append(getattr(module_obj, attribute))
    return found

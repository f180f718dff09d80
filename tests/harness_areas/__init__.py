"""Per-area harness registrations (see tests/harness.py `_load_area_registries`)."""

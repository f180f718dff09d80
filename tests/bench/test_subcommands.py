"""`python -m bench <name>` runs each job's benchmark (the names the README and bench/README.md give)."""
import importlib

import pytest

from bench.__main__ import SUBCOMMANDS


@pytest.mark.parametrize("name", ["household-import", "comparison", "funds-batch", "province", "walk", "serve",
                                  "report"])
def test_every_documented_sub_command_reaches_a_main(name):
    assert callable(importlib.import_module(f"bench.{SUBCOMMANDS[name]}").main)

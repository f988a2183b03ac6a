# SPDX-License-Identifier: MIT
"""Tests for chatcompletion.

The package under test is imported in one place, so the suite can be pointed at a vendored
copy: set CHATCOMPLETION_UNDER_TEST=myapp._vendor.chatcompletion (that package on sys.path).

``pytest`` runs everything (as CI does); ``pytest -m "not slow"`` is the quick run, without
the property (hypothesis), memory and stress tests marked ``slow``. Helpers shared by the
test modules live in helpers.py (no test module imports another), the schema and strategies
in strategies.py, the stream and batch generators in streamgen.py and batchgen.py.
"""
import importlib
import os
from pathlib import Path

cc = importlib.import_module(os.environ.get("CHATCOMPLETION_UNDER_TEST", "chatcompletion"))

DATA = Path(__file__).resolve().parent / "data"

# SPDX-License-Identifier: MIT
"""Tests for chatcompletion.

The package under test is imported in one place, so the suite can be pointed at a vendored
copy: set CHATCOMPLETION_UNDER_TEST=myapp._vendor.chatcompletion (that package on sys.path).
"""
import importlib
import os
from pathlib import Path

cc = importlib.import_module(os.environ.get("CHATCOMPLETION_UNDER_TEST", "chatcompletion"))

DATA = Path(__file__).resolve().parent / "data"

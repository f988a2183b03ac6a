# SPDX-License-Identifier: MIT
"""``python -m chatcompletion``: see ``_cli``."""
import sys

from ._cli import main

if __name__ == "__main__":  # pragma: no cover - run in a subprocess by the tests
    sys.exit(main())

"""Shared test set-up: the helper modules beside this file (``ledgers``, ``frames``) are
importable from the layer folders (``tests/io/``, ``tests/parse/``, ``tests/figures/`` …)."""

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

"""Shared test set-up: the helper modules beside this file (``ledgers``, ``frames``) are
importable from the layer folders (``tests/io/``, ``tests/parse/``, ``tests/figures/`` …);
the parse cache is off."""

import os
import sys
from pathlib import Path

# The tests load with the parse cache off (a load that reads its files is what they test);
# tests/test_cache.py turns it on in folders of its own.
os.environ["ZQCAMPAIGN_CACHE"] = "off"

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

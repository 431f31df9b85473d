"""Header merges are indexed once (issue #14): a two-row header of 8,000 child columns under
a million merges took 4 min 45 s (a scan of every merge per column)."""

from __future__ import annotations

import random
import time

from zqcampaign.parse.sheet_top import _merged_parent


def _naive(merged, row, col):
    for r0, c0, r1, c1 in merged:
        if r0 <= row <= r1 and c0 <= col <= c1 and c1 > c0:
            return c0
    return None


def test_indexed_lookup_gives_what_the_scan_gives():
    rng = random.Random(14)
    for _ in range(200):
        merged = []
        for _ in range(rng.randint(0, 30)):
            r0 = rng.randint(0, 5)
            c0 = rng.randint(0, 40)
            merged.append((r0, c0, r0 + rng.randint(0, 3), c0 + rng.randint(0, 6)))
        row = rng.randint(0, 8)
        for col in range(50):
            assert _merged_parent(merged, row, col) == _naive(merged, row, col)


def test_eight_thousand_columns_under_a_million_merges_take_seconds():
    parents = [(2, 2 * c, 2, 2 * c + 1) for c in range(4_000)]  # the header's parent merges
    body = [(r, 0, r, 1) for r in range(10, 1_000_000)]  # a merge on every body row
    merged = parents + body
    started = time.monotonic()
    found = [_merged_parent(merged, 2, col) for col in range(8_000)]
    assert time.monotonic() - started < 5
    assert found[:4] == [0, 0, 2, 2] and found[-1] == 7_998

"""A file replaced while the folder loads (a sync client, a colleague saving) is read as it
was checked (issue #14): the bytes are read once, then pre-flighted, hashed and parsed, so the
SHA-256 in ``camp.files`` is the hash of what was parsed, and no load aborts."""

from __future__ import annotations

import hashlib
import os
import threading

import builders as b

import zqcampaign as zq


def test_a_file_swapped_during_loads_is_read_as_checked_or_reported(tmp_path):
    folder = tmp_path / "ledgers"
    folder.mkdir()
    for county in ("广宁县", "怀集县"):
        b.make_xlsx(folder / f"{county}.xlsx", {county: b.good_grid(county)})
    versions = {}
    for county in ("四会市", "端州区"):
        data = b.make_xlsx(tmp_path / f"{county}.src", {county: b.good_grid(county)}).read_bytes()
        versions[hashlib.sha256(data).hexdigest()] = county
    half = data[: len(data) // 2]  # a sync client's partial write
    versions[hashlib.sha256(half).hexdigest()] = None
    blobs = [(tmp_path / f"{c}.src").read_bytes() for c in ("四会市", "端州区")] + [half]
    target = folder / "台账.xlsx"
    target.write_bytes(blobs[0])
    stop = threading.Event()

    def swap() -> None:
        i = 0
        while not stop.is_set():
            tmp = folder.parent / f"swap{i % 2}.tmp"
            tmp.write_bytes(blobs[i % 3])
            os.replace(tmp, target)  # as a sync client does: a new file under the old name
            i += 1

    swapper = threading.Thread(target=swap)
    swapper.start()
    try:
        seen = set()
        for _ in range(15):
            camp = zq.load(folder, workers=1)
            row = camp.files.set_index("file").loc["台账.xlsx"]
            assert row["sha256"] in versions, row
            seen.add(row["sha256"])
            county = versions[row["sha256"]]
            if county is None:  # the half-written version: named as broken, not parsed
                assert row["error"] == "corrupt_file"
            else:
                assert row["error"] is None or row["error"] != row["error"]  # None or NaN
                read = camp.snapshots.loc[camp.snapshots["source_file"] == "台账.xlsx", "county"]
                assert set(read) == {county}
            assert {"广宁县", "怀集县"} <= set(camp.snapshots["county"])
    finally:
        stop.set()
        swapper.join()
    assert len(seen) >= 2  # the file did change between and during the loads

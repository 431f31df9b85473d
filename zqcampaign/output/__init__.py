"""Layer ``output``: the briefing pack and the files people read.

Safe writers (no ledger text becomes a formula; atomic files), the tables, the workbooks,
the deck and the pack. May import ``charts`` and every lower layer.
"""

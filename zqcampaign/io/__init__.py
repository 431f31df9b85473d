"""Layer ``io``: bytes -> cell grids.

File discovery, pre-flight checks of each container (OLE2/BIFF, zip/xlsx, ods) and the
readers (calamine in process or in a capped child, CSV, HTML). Nothing here knows what a
ledger is. May import the foundation modules (``errors``, ``issues``, ``schema``, ``text``,
``config``) only.

Modules: ``discover`` (the folder walk: every file accounted for), ``preflight`` (entry point,
format sniffing, bytes read once) with one module per container (``ole2``, ``zipcheck``,
``xlsx``, ``ods``), ``strings`` (shared-string bombs) and what they share (``base``: limits,
notes; ``cells``: addresses); ``readers`` (the readers) and ``child`` (the isolated reader).
"""

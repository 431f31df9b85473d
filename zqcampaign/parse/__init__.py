"""Layer ``parse``: cell grids -> ledger records and issues.

Header aliases, value parsing, column-wise parsing, sheet tops (title, date line, header
rows) and bodies (section, total and project rows). May import ``io`` and the foundation.
"""

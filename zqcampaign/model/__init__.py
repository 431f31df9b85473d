"""Layer ``model``: records -> snapshots and projects.

Stages from dates, project identity, baseline category and latest state, ``known_on``.
May import ``parse``, ``io`` and the foundation.
"""

"""Timelines as aiclear reads them: reading with the installed OTIO adapters, the O(N)
walk with exact top-level ranges, the panel's flat lanes, fast metadata views, and the
identities (``asset_id``, ``segment_id``) of what sits on a timeline.

Owns: ``read``, ``fcpxml`` (what the FCPX adapter drops: notes, keywords, markers), ``walk``,
``lanes``, ``metaview``, ``ids``.
May import: ``aiclear.safety``, ``aiclear.model``, ``aiclear.errors``.
"""

"""The scan: one timeline in, its AI segments and findings out; and everything that runs it.

Owns: ``core`` (scan a timeline or file; judge a segment), ``settings`` (typed scan settings
and the one place they are built), ``ports`` (the protocols the scan calls: media prober,
clearance view), ``objects`` (scan whatever an OTIO hook receives), ``batch`` and
``executors`` (many timelines, locally or on Dask), ``report`` (text, JSON, JUnit) and
``assets`` (resolve a segment id on a timeline to its asset).
May import: ``aiclear.detect``, ``aiclear.media``, ``aiclear.policy``, ``aiclear.ledger`` and below.
"""

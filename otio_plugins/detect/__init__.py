"""What makes a clip AI: every signal that is not inside a media file.

Owns: ``signals`` (names, markers, comments), ``terms`` (word-bounded AI terms),
``register`` (the production AI register), ``sourcetype`` (IPTC digital source types),
``record`` (the usage record in ``metadata["aiclear"]``), ``carriers`` (tokens that survive an
NLE round trip) and ``choices`` (the values a person may declare).
May import: ``aiclear.timeline`` and below.
"""

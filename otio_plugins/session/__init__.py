"""The Qt-free model of one opened timeline that the desktop panel (or any front end) binds
to: lanes, segments, findings, sign-off, record edits and exports.

Owns: ``core``.
May import: ``aiclear.gate``, ``aiclear.disclose``, ``aiclear.scan`` and below; never Qt.
"""

"""Hostile-input safety: checks before any parser sees a file, every resource limit,
safe YAML, and where and how aiclear writes files (atomic, never through a link).

Owns: ``guard``, ``limits``, ``yamlio``, ``fileio``.
May import: ``aiclear.errors`` and ``aiclear.model`` only (the bottom layer).
"""

"""The export gate and the OTIO plugin's logic: may this object be written to this target,
and what gets written.

Owns: ``decision`` (the verdict, the gated export and the hook entry points), ``writeback``
(the one "stamped copy + atomic write" of records and carriers), ``hookenv`` (settings for code that
runs inside other people's programs) and ``onread`` (tag on read).
May import: ``aiclear.scan`` and below. The thin OTIO hook files live in ``aiclear.hooks``.
"""

from aiclear.gate.decision import (
    GateResult,
    check,
    ensure_attached,
    evaluate,
    export,
    hook_gate,
    hook_verify,
    prepare,
    scope,
)

__all__ = ["GateResult", "check", "ensure_attached", "evaluate", "export", "hook_gate", "hook_verify",
           "prepare", "scope"]

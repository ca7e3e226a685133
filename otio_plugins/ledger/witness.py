"""Evidence against rollback: recorded heads (reports, tags, certificates, checkpoints)
and mirrors, compared with today's chain.

A recorded head is any JSON object holding ``root``, ``head_seq`` and ``head_hash`` — the
``ledger`` block of a check report (``LedgerTrust.to_json``), the ``aiclear_ledger``
metadata ``aiclear tag`` writes, a clearance certificate's ``ledger.trust`` block (inside
its DSSE envelope's base64 payload), or a signed checkpoint's payload — wherever it sits
in the file.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from aiclear.errors import LedgerError
from aiclear.ledger.audit import Audit
from aiclear.ledger.chain import Entry
from aiclear.ledger.envelope import CHECKPOINT_TYPE, envelope_signers, sign_payload
from aiclear.ledger.keys import SigningKey
from aiclear.ledger.statement import format_time
from aiclear.model import JsonObject

_MAX_EVIDENCE = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class RecordedHead:
    root: str
    seq: int
    digest: str


def checkpoint(key: SigningKey, checked: Audit) -> JsonObject:
    """A signed statement of the head: keep it (or send it) where the editor cannot reach."""
    keyring = checked.keyring
    payload: JsonObject = {"production_id": keyring.production_id, "root": keyring.root_fingerprint,
               "head_seq": checked.head[0], "head_hash": checked.head[1],
               "time": format_time(datetime.now(UTC))}
    return sign_payload(key, CHECKPOINT_TYPE, payload)


def checkpoint_signers(document: object, checked: Audit) -> list[str]:
    """Names of the keyring's keys that signed a checkpoint document (empty otherwise)."""
    found = []
    for public in envelope_signers(document, CHECKPOINT_TYPE):
        info = checked.keyring.keys.get(public)
        if info is not None:
            found.append(f"{info.name} ({info.role})")
    return found


def read_evidence(path: Path) -> tuple[object, list[RecordedHead]]:
    """The JSON document at ``path`` (as parsed, unchecked) and every recorded head in it."""
    try:
        if path.stat().st_size > _MAX_EVIDENCE:
            raise LedgerError(f"{path}: too large to read as a report or certificate")
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise LedgerError(f"{path}: no such file") from err
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise LedgerError(f"{path}: not a JSON report, certificate or checkpoint "
                          f"({' '.join(str(err).split())[:120]})") from err
    heads = list(dict.fromkeys(_heads(document)))
    if not heads:
        raise LedgerError(f"{path}: records no ledger head (expected root, head_seq and "
                          "head_hash, as in a check report's 'ledger' block)")
    return document, heads


def prefix_problem(head: RecordedHead, checked: Audit) -> str | None:
    """Why ``head`` is not a prefix of today's chain, or None when it is."""
    root = checked.keyring.root_fingerprint
    if head.root and head.root != root:
        return (f"it was judged against production root {head.root[:16]}…, this ledger's "
                f"root is {root[:16]}…")
    if head.seq == 0:
        return None
    today = checked.hashes.get(head.seq)
    if today is None:
        return (f"it records entry {head.seq} (head {head.digest[:16]}…) but the ledger now "
                f"ends at entry {checked.head[0]} (head {checked.head[1][:16]}…): entries "
                "were deleted")
    if today != head.digest:
        return (f"it records entry {head.seq} as {head.digest[:16]}… but that entry is now "
                f"{today[:16]}…: the chain was rewritten")
    return None


def mirror_problem(ledger: list[Entry], mirror: list[Entry]) -> str | None:
    """Why the ledger disagrees with its mirror (None when the mirror is a prefix of it)."""
    for ours, theirs in zip(ledger, mirror, strict=False):
        if ours.seq != theirs.seq or ours.entry_hash != theirs.entry_hash:
            return (f"entry {theirs.seq} differs (mirror {theirs.entry_hash[:16]}…, ledger "
                    f"{ours.entry_hash[:16]}… at entry {ours.seq})")
    if len(mirror) > len(ledger):
        last = mirror[-1]
        head = f"entry {ledger[-1].seq}" if ledger else "no entries"
        return (f"the mirror holds entry {last.seq} (head {last.entry_hash[:16]}…) but the "
                f"ledger ends at {head}: entries were deleted from the ledger")
    return None


def _heads(node: object, depth: int = 0) -> Iterator[RecordedHead]:
    if depth > 64:
        return
    if isinstance(node, dict):
        inner = _envelope_payload(node)
        if inner is not None:  # a DSSE envelope (a clearance certificate): its payload
            yield from _heads(inner, depth + 1)
        head = _as_head(node)
        if head is not None:
            yield head
        for value in node.values():
            yield from _heads(value, depth + 1)
    elif isinstance(node, list):
        for value in node:
            yield from _heads(value, depth + 1)


def _envelope_payload(node: Mapping[str, object]) -> object:
    """The JSON inside a DSSE envelope whose payload is base64 (None otherwise). Its
    signature is not checked here: a recorded head is only compared with today's chain."""
    payload = node.get("payload")
    if not isinstance(node.get("payloadType"), str) or not isinstance(payload, str):
        return None
    try:
        return json.loads(base64.b64decode(payload, validate=True).decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def _as_head(node: Mapping[str, object]) -> RecordedHead | None:
    seq, digest, root = node.get("head_seq"), node.get("head_hash"), node.get("root")
    if isinstance(seq, int) and isinstance(digest, str) and isinstance(root, str):
        return RecordedHead(root, seq, digest)
    return None

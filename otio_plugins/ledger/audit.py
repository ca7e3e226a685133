"""Verify a whole ledger in one pass: hashes, links, signatures and the keyring.

O(entries): every row is read once, hashed once and its signature checked once. The
result keeps the entries that count (for the view) and a problem per entry that does
not (for findings and ``aiclear ledger verify``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from aiclear.ledger.chain import GENESIS_HASH, Entry, content_problem, link_problem
from aiclear.ledger.keyring import Keyring, Problem, carried_decision
from aiclear.ledger.statement import DecisionStatement, DeclarationStatement, Statement


@dataclass(slots=True)
class Audit:
    keyring: Keyring = field(default_factory=Keyring)
    #: (entry number, statement) of every decision entry that verified, in chain order
    decisions: list[tuple[int, DecisionStatement]] = field(default_factory=list)
    #: (entry number, statement) of every record declaration that verified, in chain order
    declarations: list[tuple[int, DeclarationStatement]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    count: int = 0
    #: (entry number, hash) of the newest entry in the table (the chain's head)
    head: tuple[int, str] = (0, GENESIS_HASH)
    #: every entry hash by number, for proving an older head is a prefix of this chain
    hashes: dict[int, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def audit(entries: Sequence[Entry], head: tuple[int, str] | None) -> Audit:
    """Check ``entries`` (ordered by seq) against each other and the stored head."""
    result = Audit(count=len(entries))
    prev_seq, prev_hash = 0, GENESIS_HASH
    for entry in entries:
        result.hashes[entry.seq] = entry.entry_hash
        statement = _admitted(result.keyring, entry, prev_seq + 1, prev_hash)
        prev_seq, prev_hash = entry.seq, entry.entry_hash
        if isinstance(statement, Problem):
            result.problems.append(statement)
            continue
        result.keyring.apply(entry.seq, statement)
        if statement["kind"] == "decision":
            result.decisions.append((entry.seq, statement))
        elif statement["kind"] == "carried":  # a schema-1 decision re-anchored by upgrade
            original = statement["original"]
            if carried_decision(original):  # always, once admitted: the keyring checked it
                result.decisions.append((entry.seq, original))
        elif statement["kind"] == "declaration":
            result.declarations.append((entry.seq, statement))
    if entries:
        result.head = (entries[-1].seq, entries[-1].entry_hash)
    tail = _head_problem(entries, head)
    if tail is not None:
        result.problems.append(tail)
    return result


def _admitted(keyring: Keyring, entry: Entry, expected: int, prev_hash: str
              ) -> Statement | Problem:
    """The entry's statement when it counts, else why not."""
    statement = entry.statement()
    content = content_problem(entry, statement)
    if content is not None:
        return Problem(entry.seq, "ledger.tampered", content)
    link = link_problem(entry, expected, prev_hash)
    if link is not None:
        return Problem(link[0], "ledger.chain_broken", link[1])
    assert statement is not None  # content_problem refuses a body that is not an object
    return keyring.admit(entry.seq, statement, entry.signature, entry.prev_hash)


def _head_problem(entries: Sequence[Entry], head: tuple[int, str] | None) -> Problem | None:
    """Deleting the newest entries leaves a valid-looking chain; the head row catches it."""
    last = (entries[-1].seq, entries[-1].entry_hash) if entries else (0, GENESIS_HASH)
    if head is None or head == last:
        return None
    seq, digest = head
    if seq > last[0]:
        return Problem(last[0] + 1, "ledger.chain_broken",
                       f"missing from the chain (the head names entry {seq}; the table ends "
                       f"at entry {last[0]})")
    if digest != last[1] or seq != last[0]:
        return Problem(last[0], "ledger.chain_broken",
                       "does not match the ledger head (entries were replaced)")
    return None

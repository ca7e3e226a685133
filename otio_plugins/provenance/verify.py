"""Offline verification of a clearance certificate, the way a studio or QC runs it.

Each check answers one question and fails with one line that says what is wrong:

- signature: a DSSE envelope of an aiclear certificate whose signature verifies, by the
  key the payload names, with a payload that meets the published schema;
- root: the certificate speaks for the root the verifier pinned (the signed root
  statement it carries hashes to that fingerprint) and its signer is an admin of that
  root or carries the keyring entry, signed into its place, in which one of them trusted it;
- intent: a delivery certificate, not a review one;
- policy: the policy it names hashes here to the certified hash;
- timeline (given): the file hashes to the certified one and still holds exactly the
  certified AI segments;
- media (given): the master's Content Credentials verify, carry this certificate's digest
  and one temporal region per certified segment;
- ledger (given): the ledger still holds the certified head as a prefix, intact, and
  nothing after it rejects or revokes a certified asset or the keys that cleared it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from aiclear.errors import AiclearError, InputError
from aiclear.ledger.chain import Entry, compute_hash
from aiclear.model import JsonObject, TimelineResult
from aiclear.policy.profile import Profile
from aiclear.provenance import certificate, envelope, trust
from aiclear.provenance.payload import Certificate

if TYPE_CHECKING:
    from aiclear.provenance.master import MasterRead

OK, FAIL, SKIP, ERROR = "ok", "fail", "skipped", "error"


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    result: str  # ok | fail | skipped | error (could not check: exit 2)
    detail: str

    def to_json(self) -> dict[str, str]:
        return {"check": self.name, "result": self.result, "detail": self.detail}


@dataclass(slots=True)
class Verification:
    certificate: str
    checks: list[Check] = field(default_factory=list)
    payload: Certificate | None = None
    digest: str | None = None

    @property
    def failed(self) -> list[Check]:
        """What stops a pass: failures and checks that could not be made."""
        return [c for c in self.checks if c.result in (FAIL, ERROR)]

    @property
    def verdict(self) -> str:
        if any(c.result == ERROR for c in self.checks):
            return "error"
        return "fail" if self.failed else "pass"

    @property
    def exit_code(self) -> int:
        return {"pass": 0, "fail": 1, "error": 2}[self.verdict]

    def reason(self) -> str:
        """The line to show: the first check that could not be made, else the first failure."""
        errors = [c for c in self.checks if c.result == ERROR]
        first = errors[0] if errors else (self.failed[0] if self.failed else None)
        return f"{first.name}: {first.detail}" if first else "verified"

    def add(self, name: str, problem: str | None, ok: str) -> bool:
        self.checks.append(Check(name, FAIL if problem else OK, problem or ok))
        return problem is None

    def skip(self, name: str, why: str) -> None:
        self.checks.append(Check(name, SKIP, why))

    def error(self, name: str, why: str) -> None:
        self.checks.append(Check(name, ERROR, why))

    def to_json(self) -> JsonObject:
        return {"aiclear_verify": 1, "certificate": self.certificate, "verdict": self.verdict,
                "reason": None if not self.failed else self.reason(),
                "payload_sha256": self.digest,
                "checks": [c.to_json() for c in self.checks]}


@dataclass(frozen=True)
class Options:
    """What the verifier brings besides the certificate."""

    trust_root: str
    timeline: Path | None = None
    media: Path | None = None
    ledger: str | None = None
    c2pa_anchors: str | None = None  # PEM text: require Trusted Content Credentials
    profile: Callable[[str], Profile] | None = None  # certified name -> Profile
    scan: Callable[[Path, str], TimelineResult] | None = None  # (timeline, policy name)
    allow_review: bool = False


def read_certificate(path: Path) -> bytes:
    try:
        if path.stat().st_size > envelope.MAX_ENVELOPE:
            raise InputError(path, "too large for a clearance certificate")
        return path.read_bytes()
    except FileNotFoundError as err:
        raise InputError(path, "no such certificate") from err
    except OSError as err:
        raise InputError(path, f"cannot read ({err.strerror or err})") from err


def open_certificate(data: bytes, name: str) -> tuple[Verification, Certificate | None]:
    """The signature and root-consistency checks every use of a certificate needs (also
    ``sign-master``, which has no pin): the payload only when the signature holds."""
    out = Verification(name)
    try:
        opened = envelope.open_envelope(data)
    except envelope.EnvelopeError as err:
        out.add("signature", f"not a clearance certificate: {err}", "")
        return out, None
    out.digest = opened.digest
    if not opened.keyids:
        out.add("signature", "the certificate carries no signature" if not opened.bad else
                "the certificate's signature does not verify (it was changed after signing)",
                "")
        return out, None
    try:
        payload = opened.statement()
    except envelope.EnvelopeError as err:
        out.add("signature", f"not a clearance certificate: {err}", "")
        return out, None
    if not certificate.meets_schema(payload):
        problem = certificate.schema_problem(payload)
        out.add("signature", f"payload does not meet the certificate schema at {problem}", "")
        return out, None
    signer = payload["signer"]["key"]
    if signer not in opened.keyids:
        out.add("signature", "signed by another key than the certificate names", "")
        return out, None
    out.add("signature", None, f"DSSE, Ed25519 by {payload['signer']['name']} "
            f"({payload['signer']['role']}), payload {opened.digest[:19]}…")
    out.payload = payload
    return out, payload


def verify(data: bytes, name: str, options: Options) -> Verification:
    out, payload = open_certificate(data, name)
    if payload is None:
        return out
    pin = trust.check_fingerprint(options.trust_root)
    root = trust.root_from_json(payload["root"])
    if not out.add("root", _root_problem(root, pin, payload),
                   f"{root.fingerprint[:16]}… pinned ({root.production or 'unnamed'})"):
        return out  # nothing else it says can be trusted
    out.add("intent", None if payload["intent"] == "final" or options.allow_review else
            "a review certificate (internal screening), not a delivery clearance: "
            f"{len(payload['blocking'])} problem(s) were open when it was issued",
            f"{payload['intent']}, issued {payload['issued']}")
    _policy(out, payload, options)
    if options.timeline is not None:
        _timeline(out, payload, options)
    else:
        out.skip("timeline", "no --timeline given")
    if options.media is not None:
        _media(out, payload, options)
    else:
        out.skip("media", "no --media given")
    if options.ledger is not None:
        _ledger(out, payload, options.ledger)
    else:
        out.skip("ledger", "no --ledger given")
    return out


def _root_problem(root: trust.Root, pin: str, payload: Certificate) -> str | None:
    if not trust.is_pinned(root, pin):
        return f"certificate is for root {root.fingerprint}, not the pinned {pin}"
    own = trust.root_problem(root)
    if own is not None:
        return f"the certificate's root is inconsistent: {own}"
    signer = payload["signer"]
    return trust.credential_problem(root, signer["key"], signer)


def _policy(out: Verification, payload: Certificate, options: Options) -> None:
    name, want = payload["policy"]["name"], payload["policy"]["sha256"]
    if options.profile is None:
        out.skip("policy", "no profile loader")
        return
    try:
        profile = options.profile(name)
    except AiclearError as err:
        out.add("policy", f"cannot load the certified policy {name!r} here ({err}); "
                "pass --profile FILE", "")
        return
    got = certificate.policy_digest(profile)
    out.add("policy", None if got == want else
            f"policy {profile.name!r} here hashes to {got[:19]}…, the certificate was "
            f"judged under {want[:19]}…", f"{name} {want[:19]}…")


def _timeline(out: Verification, payload: Certificate, options: Options) -> None:
    path = options.timeline
    assert path is not None
    want = payload["timeline"]["sha256"]
    try:
        got = certificate.file_digest(path)
    except OSError as err:
        out.error("timeline", f"{path}: cannot read ({err.strerror or err})")
        return
    if got != want:
        out.add("timeline", f"{path.name} does not hash to the certified timeline "
                f"(certified {want[:19]}…, given {got[:19]}…)", "")
        return
    if options.scan is None:
        out.add("timeline", None, f"{path.name} hashes to the certified timeline")
        return
    result = options.scan(path, payload["policy"]["name"])
    if result.error:
        out.error("timeline", f"cannot scan {path.name}: {result.error}")
        return
    found = {(s.segment_id, s.asset_id) for s in result.segments}
    certified = {(s["segment_id"], s["asset_id"]) for s in payload["segments"]}
    extra = sorted(found - certified)
    gone = sorted(certified - found)
    problem = None
    if extra:
        problem = (f"{path.name} holds {len(extra)} AI segment(s) the certificate does not "
                   f"list: {', '.join(s for s, _ in extra[:4])}")
    elif gone:
        problem = (f"{path.name} no longer holds {len(gone)} certified AI segment(s): "
                   f"{', '.join(s for s, _ in gone[:4])}")
    out.add("timeline", problem, f"{path.name} hashes to the certified timeline and holds "
            f"exactly its {len(certified)} AI segment(s)")


def _media(out: Verification, payload: Certificate, options: Options) -> None:
    from aiclear.provenance import master

    path = options.media
    assert path is not None
    if not path.is_file():
        out.error("media", f"{path}: no such file")
        return
    read = master.read_master(path, options.c2pa_anchors)
    name = path.name
    out.add("media", _media_problem(read, name, payload, out.digest, options.c2pa_anchors)
            or _length_problem(path, payload),
            f"{name}: Content Credentials {read.state}, "
            f"{len(read.regions)} AI region(s) match the certificate")


def _media_problem(read: MasterRead, name: str, payload: Certificate, digest: str | None,
                   anchors: str | None) -> str | None:
    """The master's manifest proves nothing unless its signer is one the verifier trusts:
    anyone can sign any video and copy the certificate's digest into it."""
    from aiclear.provenance import master

    if read.state == "none":
        return f"{name} carries no Content Credentials"
    if read.state == "Invalid":
        why = ", ".join(read.codes[:3]) or read.error or read.state
        return f"{name}: Content Credentials do not verify ({why})"
    if read.state != "Trusted":
        return (f"{name}: Content Credentials signer is not trusted ({read.state}; "
                + ("it does not chain to --trust-anchors)" if anchors else
                   "pass --trust-anchors PEM with the C2PA trust list or the production's CA)"))
    if read.assertion is None or read.assertion.get("payload_sha256") != digest:
        return f"{name}: its Content Credentials name another clearance certificate"
    if sorted(read.regions) != sorted(master.regions(payload)):
        return f"{name}: its AI regions differ from the certificate's segments"
    return None


def _length_problem(path: Path, payload: Certificate) -> str | None:
    from aiclear.provenance.duration import media_seconds

    rate = float(payload["timeline"]["rate"])
    want = int(payload["timeline"]["duration_frames"]) / rate
    got = media_seconds(path)
    if got is None or abs(got - want) > 1.0 / rate + 1e-6:
        shown = "unknown" if got is None else f"{got:.3f} s"
        return f"{path.name}: lasts {shown}, the certified timeline {want:.3f} s"
    return None


def _ledger(out: Verification, payload: Certificate, location: str) -> None:
    head_json = payload["ledger"]["head"]
    if head_json is None:
        out.add("ledger", "the certificate names no ledger head", "")
        return
    head = trust.Head(int(head_json["seq"]), str(head_json["entry_hash"]))
    try:
        snap = trust.read_snapshot(location)
    except AiclearError as err:  # unreachable or not a ledger: cannot check (exit 2)
        out.error("ledger", str(err))
        return
    try:
        then = trust.prefix(snap, head)
    except AiclearError as err:
        out.add("ledger", str(err), "")
        return
    out.add("ledger", _ledger_problem(snap, then, head, payload),
            f"{Path(snap.location).name if '://' not in snap.location else snap.location}: "
            f"intact, holds the certified head {head.seq}; "
            f"{len(trust.later_entries(snap, head))} later entries, none against the cut")


def _ledger_problem(now: trust.Snapshot, then: trust.Snapshot, head: trust.Head,
                    payload: Certificate) -> str | None:
    if now.audit.problems:
        first = now.audit.problems[0]
        return f"ledger entry {first.entry} fails verification: {first.message}"
    if then.keyring.root_fingerprint != trust.bare(payload["root"]["fingerprint"]):
        return "the ledger's root at the certified head is not the certificate's root"
    credential = payload["signer"]["trusted_by"]
    if credential is not None and then.audit.hashes.get(credential["seq"]) != compute_hash(
            credential["prev_hash"], credential["seq"], credential["statement"],
            credential["signature"]):
        return (f"the keyring entry {credential['seq']} that trusted the signer is not in "
                "the ledger as certified")
    by_seq = {e.seq: e for e in then.entries}
    for seg in payload["segments"]:
        for ref in seg["decided_by"]:
            entry = by_seq.get(ref["seq"])
            if entry is None or entry.entry_hash != ref["entry_hash"]:
                return (f"entry {ref['seq']} that decided {seg['segment_id']} is not in the "
                        "ledger as certified")
    assets = {s["asset_id"]: s["segment_id"] for s in payload["segments"]}
    signers = {ref["signer"] for s in payload["segments"] for ref in s["decided_by"]}
    signers.add(payload["signer"]["key"])
    for entry in trust.later_entries(now, head):
        problem = _against_cut(entry, assets, signers, head)
        if problem is not None:
            return problem
    return None


def _against_cut(entry: Entry, assets: Mapping[str, str], signers: Collection[str],
                 head: trust.Head) -> str | None:
    """Why an entry after the certified head undoes the cut (rejects or revokes a certified
    asset, or revokes a key the certificate relies on), or None."""
    statement = entry.statement() or {}
    asset, key = statement.get("asset_id"), statement.get("key")
    if statement.get("kind") == "decision" and isinstance(asset, str) and asset in assets \
            and statement.get("decision") in ("reject", "revoke"):
        verb = "revokes" if statement["decision"] == "revoke" else "rejects"
        return (f"entry {entry.seq} {verb} certified asset {asset[:19]}… "
                f"({assets[asset]}) after the certified head {head.seq}")
    if statement.get("kind") == "keyring" and statement.get("action") == "revoke" \
            and isinstance(key, str) and key in signers:
        return (f"entry {entry.seq} revokes the key of {statement.get('name')!r}, whose "
                f"signature the certificate relies on, after the certified head {head.seq}")
    return None

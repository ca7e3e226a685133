"""Ed25519 signing keys: key files, public-key text and the roles a key may hold.

A key file is a PKCS#8 PEM private key preceded by a short header naming its holder,
their role and the public key, so a producer can tell key files apart with ``cat``:

    # aiclear signing key: keep this file private
    name: Ada Legal
    role: legal
    public: ed25519:<base64>
    -----BEGIN PRIVATE KEY-----
    ...

The header is a label only: the role that counts is the one the ledger's keyring gives
the public key (aiclear.ledger.chain). Public keys travel as ``ed25519:<base64>``.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from aiclear.errors import SigningKeyError, UsageError
from aiclear.safety.fileio import atomic_write

#: Roles a keyring may grant. ``admin`` manages the keyring; ``editor`` can never clear.
ROLES = ("admin", "legal", "producer", "editor")
PUBLIC_PREFIX = "ed25519:"
_HEADER = "# aiclear signing key: keep this file private"
_MAX_KEY_FILE = 64 * 1024  # a key file is a few hundred bytes; refuse anything huge
_NAME_RE = re.compile(r"^[^\x00-\x1f\x7f]{1,120}$")


@dataclass(frozen=True, slots=True)
class SigningKey:
    """A private key with the name and role its file says it belongs to."""

    name: str
    role: str
    private: Ed25519PrivateKey
    path: str | None = None

    @property
    def public_text(self) -> str:
        return public_text(self.private.public_key())

    def sign(self, data: bytes) -> str:
        """Base64 of the Ed25519 signature over ``data``."""
        return base64.b64encode(self.private.sign(data)).decode("ascii")


def check_name(name: str) -> str:
    name = " ".join(str(name).split())
    if not _NAME_RE.match(name):
        raise UsageError(f"bad key holder name {name!r} (expected 1-120 printable characters)")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UsageError(f"unknown role {role!r} (expected one of {', '.join(ROLES)})")
    return role


def public_text(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return PUBLIC_PREFIX + base64.b64encode(raw).decode("ascii")


def parse_public(text: str) -> Ed25519PublicKey:
    """``ed25519:<base64>`` -> public key; SigningKeyError naming what was wrong."""
    text = text.strip()
    if not text.startswith(PUBLIC_PREFIX):
        raise SigningKeyError(f"public key {text[:40]!r}: expected 'ed25519:<base64>'")
    try:
        raw = base64.b64decode(text[len(PUBLIC_PREFIX):], validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError) as err:
        raise SigningKeyError(f"public key {text[:40]!r}: not a 32-byte Ed25519 key") from err


def verify(public: str, signature_b64: str, data: bytes) -> bool:
    """True when ``signature_b64`` is a valid signature of ``data`` by ``public``."""
    try:
        key = parse_public(public)
        key.verify(base64.b64decode(signature_b64, validate=True), data)
    except (SigningKeyError, InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def new_key(name: str, role: str) -> SigningKey:
    return SigningKey(check_name(name), check_role(role), Ed25519PrivateKey.generate())


def key_file_text(key: SigningKey) -> str:
    pem = key.private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    return (
        f"{_HEADER}\nname: {key.name}\nrole: {key.role}\npublic: {key.public_text}\n{pem}"
    )


def write_key(key: SigningKey, path: Path, *, overwrite: bool = False) -> None:
    """Write the key file atomically with mode 0600; never replace a key unless asked."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise UsageError(f"{path}: already exists (refusing to overwrite a key; use --force)")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"{path}: folder {folder} does not exist")
    atomic_write(path, key_file_text(key), mode=0o600)


def load_key(path: str | Path) -> SigningKey:
    """Read a key file written by ``write_key``; one-line SigningKeyError when it is not."""
    path = Path(path)
    text = _read_small(path)
    start = text.find("-----BEGIN")
    if start < 0:
        raise SigningKeyError(f"{path}: no PEM private key (expected an aiclear key file)")
    header = _parse_header(path, text[:start])
    try:
        private = serialization.load_pem_private_key(text[start:].encode("ascii"), None)
    except (ValueError, TypeError, UnicodeEncodeError) as err:
        raise SigningKeyError(f"{path}: unreadable private key ({_first_line(err)})") from err
    if not isinstance(private, Ed25519PrivateKey):
        raise SigningKeyError(f"{path}: not an Ed25519 key (expected an aiclear key file)")
    key = SigningKey(header.get("name", path.stem), header.get("role", ""), private, str(path))
    claimed = header.get("public")
    if claimed and claimed != key.public_text:
        raise SigningKeyError(f"{path}: header 'public' does not match the private key")
    return key


def read_public(arg: str) -> tuple[str, dict[str, str]]:
    """A public key from ``ed25519:...`` text, a ``.pub`` file or a key file.

    Returns the public text and whatever name/role the file's header offers."""
    if arg.strip().startswith(PUBLIC_PREFIX):
        parse_public(arg)
        return arg.strip(), {}
    path = Path(arg)
    text = _read_small(path)
    if "-----BEGIN" in text:
        key = load_key(path)
        return key.public_text, {"name": key.name, "role": key.role}
    first = text.strip().split()[0] if text.strip() else ""
    parse_public(first)
    return first, {}


def _read_small(path: Path) -> str:
    try:
        if path.stat().st_size > _MAX_KEY_FILE:
            raise SigningKeyError(f"{path}: too large for a key file")
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise SigningKeyError(f"{path}: no such key file") from err
    except (OSError, UnicodeDecodeError) as err:
        raise SigningKeyError(f"{path}: cannot read key file ({_first_line(err)})") from err


def _parse_header(path: Path, head: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for number, line in enumerate(head.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        field, sep, value = line.partition(":")
        if not sep or field.strip() not in ("name", "role", "public"):
            raise SigningKeyError(
                f"{path}:{number}: unexpected header line (expected name:, role: or public:)"
            )
        out[field.strip()] = value.strip()
    return out


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from aiclear.errors import SigningKeyError, UsageError
from aiclear.ledger.keys import (
    load_key,
    new_key,
    parse_public,
    public_text,
    read_public,
    verify,
    write_key,
)
from tests.ledger.ledger_helpers import run


def test_key_file_is_private_and_round_trips(tmp_path: Path) -> None:
    key = new_key("Lea Legal", "legal")
    path = tmp_path / "lea.key"
    write_key(key, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert "name: Lea Legal\nrole: legal\n" in text
    loaded = load_key(path)
    assert (loaded.name, loaded.role, loaded.public_text) == ("Lea Legal", "legal", key.public_text)
    assert verify(key.public_text, loaded.sign(b"payload"), b"payload")
    assert list(tmp_path.iterdir()) == [path]  # no temp file left behind


def test_public_text_round_trips() -> None:
    key = new_key("A", "admin")
    assert key.public_text.startswith("ed25519:")
    assert public_text(parse_public(key.public_text)) == key.public_text
    with pytest.raises(SigningKeyError, match="expected 'ed25519:<base64>'"):
        parse_public("rsa:AAAA")
    with pytest.raises(SigningKeyError, match="32-byte"):
        parse_public("ed25519:AAAA")


def test_write_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "k.key"
    write_key(new_key("A", "legal"), path)
    first = path.read_text()
    with pytest.raises(UsageError, match="already exists"):
        write_key(new_key("B", "legal"), path)
    assert path.read_text() == first


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not a key at all\n", "no PEM private key"),
        ("name: X\n-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n",
         "unreadable private key"),
        ("colour: blue\n-----BEGIN PRIVATE KEY-----\n", "unexpected header line"),
    ],
)
def test_bad_key_files_give_one_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.key"
    path.write_text(content)
    with pytest.raises(SigningKeyError, match=message) as info:
        load_key(path)
    assert "\n" not in str(info.value)
    assert str(path) in str(info.value)


def test_rsa_key_is_refused(tmp_path: Path) -> None:
    pem = rsa.generate_private_key(public_exponent=65537, key_size=1024).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    path = tmp_path / "rsa.key"
    path.write_bytes(pem)
    with pytest.raises(SigningKeyError, match="not an Ed25519 key"):
        load_key(path)


def test_header_public_must_match(tmp_path: Path) -> None:
    path = tmp_path / "k.key"
    write_key(new_key("A", "legal"), path)
    other = new_key("B", "legal").public_text
    text = path.read_text().splitlines(keepends=True)
    text = [f"public: {other}\n" if line.startswith("public:") else line for line in text]
    path.write_text("".join(text))
    with pytest.raises(SigningKeyError, match="does not match"):
        load_key(path)


def test_read_public_from_text_pub_file_and_key_file(tmp_path: Path) -> None:
    key = new_key("Pat", "producer")
    write_key(key, tmp_path / "p.key")
    (tmp_path / "p.pub").write_text(key.public_text + "\n")
    assert read_public(key.public_text) == (key.public_text, {})
    assert read_public(str(tmp_path / "p.pub")) == (key.public_text, {})
    assert read_public(str(tmp_path / "p.key")) == (
        key.public_text, {"name": "Pat", "role": "producer"})


def test_cli_keys_new(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ada.key"
    code, out, _ = run(capsys, "keys", "new", "--name", "Ada", "--role", "admin", "-o", path)
    assert code == 0
    assert out.strip() == load_key(path).public_text
    code, _, err = run(capsys, "keys", "new", "--name", "Ada", "--role", "admin", "-o", path)
    assert code == 2
    assert "already exists" in err
    code, _, err = run(capsys, "keys", "new", "--name", "Ada", "--role", "boss", "-o", path)
    assert code == 2

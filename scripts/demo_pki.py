#!/usr/bin/env python3
"""Make a throwaway C2PA test PKI: root CA -> intermediate CA -> signing certificate.

    python scripts/demo_pki.py OUTDIR [--org NAME] [--alg es256|ed25519]

Writes OUTDIR/root_ca.pem (the trust anchor a verifier configures), OUTDIR/chain.pem
(signing certificate, then the intermediate: what ``aiclear sign-master --cert`` takes)
and OUTDIR/signing_key.pem (PKCS#8, unencrypted: TEST ONLY). The signing certificate has
what c2pa-rs requires of a C2PA signer: X.509 v3, not a CA, AuthorityKeyIdentifier,
KeyUsage digitalSignature only, EKU emailProtection + documentSigning (1.3.6.1.5.5.7.3.36).
Never use these keys for a real delivery: get a certificate from a CA on the C2PA trust list.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")


@dataclass(frozen=True)
class TestPki:
    root_pem: Path
    chain_pem: Path
    key_pem: Path
    alg: str


def _name(cn: str, org: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COUNTRY_NAME, "GB")])


def _usage(*, sign_certs: bool) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=not sign_certs, content_commitment=False,
                         key_encipherment=False, data_encipherment=False, key_agreement=False,
                         key_cert_sign=sign_certs, crl_sign=sign_certs, encipher_only=False,
                         decipher_only=False)


def _cert(subject: x509.Name, issuer: x509.Name, public: Any, issuer_key: Any,
          issuer_ski: x509.SubjectKeyIdentifier | None, *, ca: bool, days: int) -> x509.Certificate:
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    ski = x509.SubjectKeyIdentifier.from_public_key(public)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
               .public_key(public).serial_number(x509.random_serial_number())
               .not_valid_before(start).not_valid_after(start + dt.timedelta(days=days))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None if ca else None),
                              critical=True)
               .add_extension(_usage(sign_certs=ca), critical=True)
               .add_extension(ski, critical=False))
    if issuer_ski is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(issuer_ski),
            critical=False)
    if not ca:
        builder = builder.add_extension(x509.ExtendedKeyUsage(
            [ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING]), critical=False)
    algorithm = None if isinstance(issuer_key, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    return builder.sign(issuer_key, algorithm)


def make_pki(folder: Path, org: str = "Demo Post House", alg: str = "es256") -> TestPki:
    folder.mkdir(parents=True, exist_ok=True)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = _name(f"{org} Test Root CA", org)
    root = _cert(root_name, root_name, root_key.public_key(), root_key, None, ca=True, days=3650)
    root_ski = x509.SubjectKeyIdentifier.from_public_key(root_key.public_key())
    mid_key = ec.generate_private_key(ec.SECP256R1())
    mid_name = _name(f"{org} Test Intermediate CA", org)
    mid = _cert(mid_name, root_name, mid_key.public_key(), root_key, root_ski, ca=True, days=3650)
    mid_ski = x509.SubjectKeyIdentifier.from_public_key(mid_key.public_key())
    leaf_key: Any = (ed25519.Ed25519PrivateKey.generate() if alg == "ed25519"
                     else ec.generate_private_key(ec.SECP256R1()))
    leaf = _cert(_name(f"{org} C2PA Signer", org), mid_name, leaf_key.public_key(), mid_key,
                 mid_ski, ca=False, days=825)
    pem = serialization.Encoding.PEM
    out = TestPki(folder / "root_ca.pem", folder / "chain.pem", folder / "signing_key.pem", alg)
    out.root_pem.write_bytes(root.public_bytes(pem))
    out.chain_pem.write_bytes(leaf.public_bytes(pem) + mid.public_bytes(pem))
    out.key_pem.write_bytes(leaf_key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                                   serialization.NoEncryption()))
    out.key_pem.chmod(0o600)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--org", default="Demo Post House")
    parser.add_argument("--alg", choices=("es256", "ed25519"), default="es256")
    args = parser.parse_args(argv)
    made = make_pki(args.outdir, args.org, args.alg)
    sys.stderr.write(f"trust anchor: {made.root_pem}\nchain:        {made.chain_pem}\n"
                     f"key:          {made.key_pem} (TEST ONLY)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Certificates and keys for the remote access tests, generated at test time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from ipaddress import ip_address
import os
from pathlib import Path
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

type Key = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
KeyFormat = Literal["pkcs8", "pkcs1", "ec", "encrypted", "legacy_encrypted", "der"]

HOST = "ha.example.com"


@cache
def rsa_key(bits: int = 2048, n: int = 0) -> rsa.RSAPrivateKey:
    """An RSA key (cached per size and index: generating them is slow)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


@cache
def ec_key(n: int = 0) -> ec.EllipticCurvePrivateKey:
    """A P-256 key."""
    return ec.generate_private_key(ec.SECP256R1())


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_cert(
    *,
    key: Key | None = None,
    names: tuple[str, ...] = (HOST,),
    ips: tuple[str, ...] = (),
    common_name: str = HOST,
    days: float = 90,
    issuer: tuple[x509.Certificate, Key] | None = None,
    san: bool = True,
    ca: bool = False,
) -> x509.Certificate:
    """A certificate valid for `days` from now (negative: expired), self-signed by default."""
    key = key or rsa_key()
    now = datetime.now(UTC)
    not_after = now + timedelta(days=days)
    not_before = min(now, not_after) - timedelta(days=30)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(issuer[0].subject if issuer else _name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if san and (names or ips):
        builder = builder.add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName(n) for n in names]
                + [x509.IPAddress(ip_address(i)) for i in ips]
            ),
            critical=False,
        )
    return builder.sign(issuer[1] if issuer else key, hashes.SHA256())


def sha1_cert(key: rsa.RSAPrivateKey) -> x509.Certificate:
    """A self-signed SHA-1 certificate (cryptography no longer signs these: done by hand)."""
    cert = make_cert(key=key)
    der = cert.public_bytes(serialization.Encoding.DER)
    sha256_rsa = bytes.fromhex("2a864886f70d01010b")
    sha1_rsa = bytes.fromhex("2a864886f70d010105")
    der = der.replace(sha256_rsa, sha1_rsa)
    tbs = x509.load_der_x509_certificate(der).tbs_certificate_bytes
    signature = key.sign(tbs, padding.PKCS1v15(), hashes.SHA1())  # noqa: S303
    return x509.load_der_x509_certificate(der[: -len(signature)] + signature)


@dataclass(frozen=True)
class Pair:
    """Paths of a written certificate and key."""

    cert: Path
    key: Path


def write_cert(path: Path, *certs: x509.Certificate, der: bool = False) -> Path:
    """Write certificates (leaf first) as PEM, or the first as DER."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if der:
        path.write_bytes(certs[0].public_bytes(serialization.Encoding.DER))
    else:
        path.write_bytes(
            b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)
        )
    return path


def key_bytes(key: Key, fmt: KeyFormat = "pkcs8") -> bytes:
    """A private key in one of the formats people use."""
    pem = serialization.Encoding.PEM
    none = serialization.NoEncryption()
    if fmt == "pkcs8":
        return key.private_bytes(pem, serialization.PrivateFormat.PKCS8, none)
    if fmt in ("pkcs1", "ec"):
        return key.private_bytes(
            pem, serialization.PrivateFormat.TraditionalOpenSSL, none
        )
    if fmt == "der":
        return key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, none
        )
    encryption = serialization.BestAvailableEncryption(b"passphrase")
    if fmt == "legacy_encrypted":
        return key.private_bytes(
            pem, serialization.PrivateFormat.TraditionalOpenSSL, encryption
        )
    return key.private_bytes(pem, serialization.PrivateFormat.PKCS8, encryption)


def write_key(
    path: Path, key: Key, fmt: KeyFormat = "pkcs8", mode: int = 0o600
) -> Path:
    """Write a private key with a file mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(key_bytes(key, fmt))
    path.chmod(mode)
    return path


def write_pair(
    directory: Path,
    cert: x509.Certificate,
    key: Key,
    *,
    chain: tuple[x509.Certificate, ...] = (),
    fmt: KeyFormat = "pkcs8",
    mode: int = 0o600,
    name: str = "server",
) -> Pair:
    """Write a certificate (with its chain) and a key; both dated one day ago."""
    pair = Pair(
        cert=write_cert(directory / f"{name}.crt", cert, *chain),
        key=write_key(directory / f"{name}.key", key, fmt, mode),
    )
    backdate(pair.cert, pair.key)
    return pair


def backdate(*paths: Path, days: float = 1) -> None:
    """Set the modification time of files into the past (before the process started)."""
    moment = (datetime.now(UTC) - timedelta(days=days)).timestamp()
    for path in paths:
        os.utime(path, (moment, moment))


def private_ca() -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """A private root CA."""
    key = ec_key(7)
    return make_cert(
        key=key, names=(), common_name="Home Lab Root CA", ca=True, days=3650
    ), key

"""The certificate reader: real certificates and keys, and every kind of bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
import os
from pathlib import Path
import ssl
from typing import Any

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import dsa, ed448, ed25519
from cryptography.x509.oid import NameOID
import pytest

from custom_components.security_posture.inspect import certificates, process, tls_server
from custom_components.security_posture.inspect.certificates import (
    MAX_FILE_BYTES,
    read_certificate,
)
from custom_components.security_posture.inspect.process import process_started_at
from custom_components.security_posture.inspect.tls_server import (
    hostname_matches,
    server_refuses,
)

from .remote_access_certs import (
    HOST,
    ec_key,
    key_bytes,
    make_cert,
    private_ca,
    rsa_key,
    sha1_cert,
    write_cert,
    write_key,
    write_pair,
)


def test_good_rsa_pair(tmp_path: Path) -> None:
    cert = make_cert(days=20, ips=("192.0.2.7",))
    pair = write_pair(tmp_path, cert, rsa_key())
    reading = read_certificate(str(pair.cert), str(pair.key))
    leaf = reading.leaf
    assert leaf is not None
    assert reading.certificate_error is None
    assert reading.key_error is None
    assert reading.key_matches is True
    assert leaf.key_type == "RSA"
    assert leaf.key_size == 2048
    assert leaf.signature_hash == "sha256"
    assert leaf.self_signed is True
    assert leaf.dns_names == (HOST,)
    assert leaf.ip_addresses == ("192.0.2.7",)
    assert leaf.chain_length == 1
    assert leaf.encoding == "PEM"
    assert leaf.not_after == cert.not_valid_after_utc
    assert leaf.not_after.tzinfo is not None
    assert reading.key_file.mode == 0o600
    assert reading.newest_mtime is not None
    assert reading.newest_mtime < datetime.now(UTC) - timedelta(hours=1)
    assert reading.key_in_certificate_file is False


@pytest.mark.parametrize("fmt", ["pkcs8", "pkcs1"])
def test_rsa_key_formats(tmp_path: Path, fmt: Any) -> None:
    pair = write_pair(tmp_path, make_cert(), rsa_key(), fmt=fmt)
    reading = read_certificate(str(pair.cert), str(pair.key))
    assert reading.key_error is None
    assert reading.key_matches is True
    assert reading.certificate_error is None


@pytest.mark.parametrize("fmt", ["pkcs8", "ec"])
def test_ec_key(tmp_path: Path, fmt: Any) -> None:
    key = ec_key()
    pair = write_pair(tmp_path, make_cert(key=key), key, fmt=fmt)
    # openssl writes EC parameters before the key: the reader finds the key block anyway.
    pair.key.write_bytes(
        b"-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
        + pair.key.read_bytes()
    )
    reading = read_certificate(str(pair.cert), str(pair.key))
    assert reading.leaf is not None
    assert reading.leaf.key_type == "EC"
    assert reading.leaf.key_size == 256
    assert reading.leaf.self_signed is True
    assert reading.key_error is None
    assert reading.key_matches is True
    assert reading.certificate_error is None


@pytest.mark.parametrize("fmt", ["encrypted", "legacy_encrypted"])
def test_encrypted_key_is_unusable(tmp_path: Path, fmt: Any) -> None:
    pair = write_pair(tmp_path, make_cert(), rsa_key(), fmt=fmt)
    reading = read_certificate(str(pair.cert), str(pair.key))
    assert reading.key_error is not None
    assert "passphrase" in reading.key_error
    assert reading.key_matches is None
    assert reading.certificate_error is None
    assert reading.leaf is not None


def test_mismatched_key(tmp_path: Path) -> None:
    pair = write_pair(tmp_path, make_cert(key=rsa_key()), rsa_key(2048, 1))
    reading = read_certificate(str(pair.cert), str(pair.key))
    assert reading.key_matches is False
    assert reading.key_error is None
    assert reading.certificate_error is None  # the mismatch has its own check


def test_rsa_1024_is_refused_by_the_server(tmp_path: Path) -> None:
    key = rsa_key(1024)
    pair = write_pair(tmp_path, make_cert(key=key), key)
    reading = read_certificate(str(pair.cert), str(pair.key))
    assert reading.leaf is not None
    assert reading.leaf.key_size == 1024
    assert reading.certificate_error == "the server refuses it (ee key too small)"


def test_sha1_certificate(tmp_path: Path) -> None:
    key = rsa_key()
    pair = write_pair(tmp_path, sha1_cert(key), key)
    reading = read_certificate(str(pair.cert), str(pair.key), "intermediate")
    assert reading.leaf is not None
    assert reading.leaf.signature_hash == "sha1"
    assert reading.leaf.self_signed is True  # verified by hand
    assert reading.key_matches is True


def test_private_ca_chain_leaf_counts(tmp_path: Path) -> None:
    ca_cert, ca_key = private_ca()
    leaf_key = ec_key(1)
    leaf = make_cert(
        key=leaf_key, names=(HOST, "*.example.org"), issuer=(ca_cert, ca_key)
    )
    pair = write_pair(tmp_path, leaf, leaf_key, chain=(ca_cert,))
    reading = read_certificate(str(pair.cert), str(pair.key))
    assert reading.leaf is not None
    assert reading.leaf.chain_length == 2
    assert reading.leaf.self_signed is False
    assert reading.leaf.dns_names == (HOST, "*.example.org")
    assert reading.leaf.subject == f"CN={HOST}"
    assert reading.key_matches is True
    assert reading.certificate_error is None


def test_certificate_without_san_uses_common_name(tmp_path: Path) -> None:
    pair = write_pair(
        tmp_path, make_cert(san=False, common_name="legacy.example.com"), rsa_key()
    )
    reading = read_certificate(str(pair.cert), str(pair.key))
    assert reading.leaf is not None
    assert reading.leaf.dns_names == ("legacy.example.com",)
    assert reading.leaf.ip_addresses == ()


def test_same_name_but_other_issuer_is_not_self_signed(tmp_path: Path) -> None:
    ca_cert, ca_key = private_ca()
    impostor = make_cert(
        common_name="Home Lab Root CA", names=(), issuer=(ca_cert, ca_key)
    )
    pair = write_pair(tmp_path, impostor, rsa_key())
    reading = read_certificate(str(pair.cert), str(pair.key))
    assert reading.leaf is not None
    assert reading.leaf.self_signed is False


def test_key_inside_the_certificate_file(tmp_path: Path) -> None:
    key = rsa_key()
    combined = tmp_path / "combined.pem"
    write_cert(combined, make_cert(key=key))
    combined.write_bytes(combined.read_bytes() + key_bytes(key, "pkcs1"))
    reading = read_certificate(str(combined), None)
    assert reading.key_in_certificate_file is True
    assert reading.key_file.path == str(combined)
    assert reading.key_matches is True
    assert reading.key_error is None
    assert reading.certificate_error is None


def test_no_key_anywhere(tmp_path: Path) -> None:
    cert = write_cert(tmp_path / "c.pem", make_cert())
    reading = read_certificate(str(cert), None)
    assert reading.key_error == (
        "no ssl_key is configured and the certificate file holds no PEM private key"
    )
    assert reading.key_matches is None


def test_der_files_are_read_but_unusable(tmp_path: Path) -> None:
    key = rsa_key()
    cert = write_cert(tmp_path / "c.der", make_cert(key=key, days=-3), der=True)
    key_path = tmp_path / "k.der"
    key_path.write_bytes(key_bytes(key, "der"))
    reading = read_certificate(str(cert), str(key_path))
    assert reading.leaf is not None
    assert reading.leaf.encoding == "DER"
    assert reading.leaf.not_after < datetime.now(UTC)
    assert reading.certificate_error is not None
    assert "DER" in reading.certificate_error
    assert reading.key_error is not None
    assert "DER" in reading.key_error
    assert reading.key_matches is True


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"this is not a certificate\n", "the file holds no certificate"),
        (b"0\x82garbage that looks like DER", "the file holds no certificate"),
        (
            b"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n",
            "a PEM certificate in the file cannot be parsed",
        ),
        (b"", "the file is empty"),
    ],
)
def test_garbage_certificate(tmp_path: Path, content: bytes, reason: str) -> None:
    cert = tmp_path / "c.pem"
    cert.write_bytes(content)
    key = write_key(tmp_path / "k.pem", rsa_key())
    reading = read_certificate(str(cert), str(key))
    assert reading.certificate_error == reason
    assert reading.leaf is None
    assert reading.key_error is None
    assert reading.key_matches is None


def test_key_given_as_certificate(tmp_path: Path) -> None:
    key = write_key(tmp_path / "k.pem", rsa_key())
    reading = read_certificate(str(key), str(key))
    assert (
        reading.certificate_error == "the file holds a private key but no certificate"
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"hello", "the file holds no PEM private key"),
        (b"0\x82not DER at all", "the file holds no PEM private key"),
        (
            b"-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n",
            "the private key cannot be parsed",
        ),
        (
            b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n-----END OPENSSH PRIVATE KEY-----\n",
            "the file holds no PEM private key",
        ),
    ],
)
def test_garbage_key(tmp_path: Path, content: bytes, reason: str) -> None:
    cert = write_cert(tmp_path / "c.pem", make_cert())
    key = tmp_path / "k.pem"
    key.write_bytes(content)
    reading = read_certificate(str(cert), str(key))
    assert reading.key_error == reason
    assert reading.key_matches is None
    assert reading.leaf is not None


def test_missing_directory_huge_and_fifo(tmp_path: Path) -> None:
    huge = tmp_path / "huge.pem"
    with huge.open("wb") as file:
        file.truncate(10 * 1024 * 1024)
    fifo = tmp_path / "fifo.pem"
    os.mkfifo(fifo)
    reading = read_certificate(str(tmp_path / "missing.pem"), str(tmp_path))
    assert reading.certificate_error == "the file does not exist"
    assert reading.certificate_file.mode is None
    assert reading.key_error == "it is a directory"
    assert reading.newest_mtime is not None  # the directory's
    reading = read_certificate(str(huge), str(fifo))  # must not block on the FIFO
    assert reading.certificate_error == "the file is too large (10240 KiB)"
    assert reading.key_error == "it is not a regular file"
    assert reading.leaf is None


def _refuse_open(
    monkeypatch: pytest.MonkeyPatch, error: Exception, *paths: Path | str
) -> None:
    real_open = os.open
    refused = {str(p) for p in paths}

    def refuse(path: Any, *args: Any, **kwargs: Any) -> int:
        if str(path) in refused:
            raise error
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(certificates.os, "open", refuse)


def test_unreadable_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pair = write_pair(tmp_path, make_cert(), rsa_key())
    _refuse_open(
        monkeypatch, PermissionError(13, "Permission denied"), pair.cert, pair.key
    )
    reading = read_certificate(str(pair.cert), str(pair.key))
    assert reading.certificate_error == "permission denied"
    assert reading.key_error == "permission denied"
    assert reading.key_file.mode == 0o600  # stat still works

    _refuse_open(monkeypatch, OSError(5, "Input/output error"), pair.cert, pair.key)
    reading = read_certificate(str(pair.cert), str(pair.key))
    assert reading.certificate_error == "cannot access the file (Input/output error)"


def test_read_errors_after_the_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pair = write_pair(tmp_path, make_cert(), rsa_key())
    real_read = os.read

    def broken(fd: int, size: int) -> bytes:
        if os.fstat(fd).st_ino == pair.cert.stat().st_ino:
            raise OSError(5, "Input/output error")
        return real_read(fd, size)

    monkeypatch.setattr(certificates.os, "read", broken)
    reading = read_certificate(str(pair.cert), str(pair.key))
    assert reading.certificate_error == "cannot read the file (Input/output error)"
    assert reading.certificate_file.mode is not None

    def fstat_fails(fd: int) -> Any:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(certificates.os, "fstat", fstat_fails)
    reading = read_certificate(str(pair.cert), str(pair.key))
    assert reading.certificate_error == "cannot read the file (Input/output error)"
    assert reading.certificate_file.mode is None


def test_file_growing_while_read_is_read_to_its_size_when_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pair = write_pair(tmp_path, make_cert(), rsa_key())
    size = pair.cert.stat().st_size
    real_read = os.read
    asked: list[int] = []

    def endless(fd: int, wanted: int) -> bytes:
        if os.fstat(fd).st_ino == pair.cert.stat().st_ino:
            asked.append(wanted)
            return real_read(fd, wanted) + b"x" * 10  # more than asked: it grows
        return real_read(fd, wanted)

    monkeypatch.setattr(certificates.os, "read", endless)
    reading = read_certificate(str(pair.cert), str(pair.key))
    assert asked == [size]
    assert reading.leaf is not None


def test_open_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    _refuse_open(monkeypatch, PermissionError(13, "Permission denied"), "/x")
    assert certificates._read("/x")[0].error == "permission denied"
    _refuse_open(monkeypatch, OSError(40, "Too many levels of symbolic links"), "/x")
    assert certificates._read("/x")[0].error == (
        "cannot access the file (Too many levels of symbolic links)"
    )
    assert certificates._read("/nul\0byte")[0].error == (
        "cannot access the file (ValueError)"
    )
    assert certificates._read("/proc/self/status")[0].error == (
        "it is under /proc, a kernel interface"
    )


def test_unparseable_leaf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pair = write_pair(tmp_path, make_cert(), rsa_key())

    def broken(*args: Any) -> Any:
        raise ValueError("bad extension")

    monkeypatch.setattr(certificates, "_leaf", broken)
    reading = read_certificate(str(pair.cert), str(pair.key))
    assert reading.certificate_error == "the certificate cannot be parsed (ValueError)"
    assert reading.leaf is None
    assert reading.key_matches is None


def test_server_refuses(tmp_path: Path) -> None:
    key = ec_key()
    pair = write_pair(tmp_path, make_cert(key=key), key)
    cert, key_data = pair.cert.read_bytes(), pair.key.read_bytes()
    assert server_refuses(cert, key_data, "modern") is None
    assert server_refuses(cert, key_data, "intermediate") is None
    assert server_refuses(cert + key_data, None, "modern") is None
    assert server_refuses(cert, None, "modern") is not None  # no key at all
    encrypted = write_key(tmp_path / "enc.pem", key, "encrypted").read_bytes()
    refused = server_refuses(cert, encrypted, "modern")  # never prompts
    assert refused is not None
    assert refused.startswith("the server refuses it")


class VersionedSslUtil:
    """`homeassistant.util.ssl` as 2026.11 has it: one server context per SSLProfile."""

    class SSLProfile(StrEnum):
        MODERN_V4 = "modern_v4"
        INTERMEDIATE_V4 = "intermediate_v4"
        MODERN_V6 = "modern_v6"
        INTERMEDIATE_V6 = "intermediate_v6"

    def __init__(self) -> None:
        self.asked: list[str] = []

    def server_context(self, profile: SSLProfile) -> ssl.SSLContext:
        assert isinstance(profile, self.SSLProfile)
        self.asked.append(profile)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        return context


def test_server_refuses_on_versioned_profiles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """2026.11 has no server_context_modern(): its server_context(SSLProfile) is used."""
    fake = VersionedSslUtil()
    monkeypatch.setattr(tls_server, "ssl_util", fake)
    key = ec_key()
    pair = write_pair(tmp_path, make_cert(key=key), key)
    for name in ("modern", "intermediate", "modern_v6", "intermediate_v6"):
        assert (
            server_refuses(pair.cert.read_bytes(), pair.key.read_bytes(), name) is None
        )
    assert fake.asked == [
        "modern_v4",
        "intermediate_v4",
        "modern_v6",
        "intermediate_v6",
    ]
    # A name the release does not know cannot be the one running: a plain context.
    assert (
        server_refuses(pair.cert.read_bytes(), pair.key.read_bytes(), "intermediate_v9")
        is None
    )
    assert len(fake.asked) == 4
    weak = rsa_key(1024)
    small = write_pair(tmp_path / "small", make_cert(key=weak), weak)
    assert server_refuses(
        small.cert.read_bytes(), small.key.read_bytes(), "modern_v4"
    ) == ("the server refuses it (ee key too small)")


def test_key_kinds() -> None:
    assert certificates._key_kind(ed25519.Ed25519PrivateKey.generate()) == (
        "Ed25519",
        256,
    )
    assert certificates._key_kind(ed448.Ed448PrivateKey.generate()) == ("Ed448", 456)
    assert certificates._key_kind(dsa.generate_private_key(1024))  # noqa: S505 == ("DSA", 1024)
    assert certificates._key_kind(object()) == ("object", None)
    assert certificates._public_der(object()) is None


def test_ed25519_certificate(tmp_path: Path) -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=5))
        .sign(key, None)
    )
    pair = write_pair(tmp_path, cert, rsa_key())  # key written is irrelevant here
    reading = read_certificate(str(pair.cert), str(pair.key))
    assert reading.leaf is not None
    assert reading.leaf.signature_hash is None
    assert reading.leaf.self_signed is True
    assert reading.key_matches is False
    assert certificates._verifies_itself(cert) is False  # only RSA and EC by hand


def test_verifies_itself_by_hand() -> None:
    rsa_cert = make_cert(key=rsa_key())
    ec_cert = make_cert(key=ec_key())
    assert certificates._verifies_itself(rsa_cert) is True
    assert certificates._verifies_itself(ec_cert) is True
    ca_cert, ca_key = private_ca()
    issued = make_cert(key=rsa_key(), issuer=(ca_cert, ca_key))
    assert certificates._verifies_itself(issued) is False


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("ha.example.com", True),
        ("HA.Example.COM.", True),
        ("www.example.com", False),
        ("example.com", False),
        ("a.example.org", True),
        ("example.org", False),
        ("a.b.example.org", False),
        (".example.org", False),
        ("192.0.2.7", True),
        ("[2001:db8::1]", True),
        ("192.0.2.8", False),
        ("anything.com", False),
    ],
)
def test_hostname_matches(host: str, expected: bool) -> None:
    names = (
        "ha.example.com",
        "*.example.org",
        "*.com",
        "f*.example.net",
        "*.*.example.io",
    )
    ips = ("192.0.2.7", "2001:db8::1", "not-an-ip")
    assert hostname_matches(host, names, ips) is expected


def test_partial_and_nested_wildcards_never_match() -> None:
    assert hostname_matches("foo.example.net", ("f*.example.net",), ()) is False
    assert hostname_matches("a.b.example.io", ("*.*.example.io",), ()) is False
    assert hostname_matches("a.com", ("*.com",), ()) is False


def test_process_started_at(monkeypatch: pytest.MonkeyPatch) -> None:
    started = process_started_at()
    assert started.tzinfo is not None
    assert started <= process._IMPORTED_AT
    assert started > datetime.now(UTC) - timedelta(days=1)

    def missing(*args: Any, **kwargs: Any) -> Any:
        raise FileNotFoundError

    monkeypatch.setattr(process, "open", missing, raising=False)
    assert process_started_at() == process._IMPORTED_AT


def test_max_file_size_is_generous() -> None:
    assert 64 * 1024 < MAX_FILE_BYTES < 10 * 1024 * 1024


def test_same_name_same_key_type_other_signer(tmp_path: Path) -> None:
    signer = make_cert(key=rsa_key(2048, 1), names=(), common_name="Twin")
    twin = make_cert(
        key=rsa_key(), names=(), common_name="Twin", issuer=(signer, rsa_key(2048, 1))
    )
    assert twin.issuer == twin.subject
    assert certificates._is_self_signed(twin) is False


def test_unknown_signature_algorithm(monkeypatch: pytest.MonkeyPatch) -> None:
    real = make_cert(key=ec_key())

    class Odd:
        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        @property
        def signature_hash_algorithm(self) -> Any:
            raise UnsupportedAlgorithm("odd")

    leaf = certificates._leaf([Odd()], "PEM")  # type: ignore[list-item]
    assert leaf.signature_hash is None


def test_key_that_cannot_be_compared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pair = write_pair(tmp_path, make_cert(), rsa_key())
    monkeypatch.setattr(certificates, "_public_der", lambda key: None)
    reading = read_certificate(str(pair.cert), str(pair.key))
    assert reading.key_matches is None
    assert reading.certificate_error is None

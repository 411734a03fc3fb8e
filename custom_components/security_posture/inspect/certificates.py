"""Read the served certificate and its private key from the files, locally.

Reading the files (rather than connecting to the server) works for self-signed certificates
and private CAs alike. The rules are those of the server (`ssl.SSLContext.load_cert_chain`):

- the certificate file is PEM; its first certificate is the leaf, the others are the chain;
- the key file is PEM (PKCS#1, PKCS#8, SEC1 EC keys); without `ssl_key` the key must be in the
  certificate file; a key encrypted with a passphrase cannot be used (Home Assistant has no
  way to supply the passphrase);
- DER files are read (so that expiry and names are known) but reported as unusable.

Whether the server's TLS context loads the pair, and which hosts a client accepts the
certificate for, is `tls_server`'s. Everything blocking here runs in the executor. Nothing
read is kept but facts about the certificate: never the private key, never its bytes. The
`CERTIFICATE` fact is the reading of the files the effective HTTP settings name (None when no
certificate is configured).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
import os
from pathlib import Path
import stat
from typing import TYPE_CHECKING, Any, Final

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import (
    dsa,
    ec,
    ed448,
    ed25519,
    padding,
    rsa,
)
from cryptography.x509.oid import NameOID

from ..engine import Fact
from .http_settings import HTTP_SETTINGS
from .safe_read import ReadRefused, kernel_tree, read_fd
from .tls_server import server_refuses

if TYPE_CHECKING:
    from ..engine import ScanContext

MAX_FILE_BYTES: Final = 1024 * 1024  # a long chain is a few tens of kilobytes

_PEM_CERTIFICATE: Final = b"-----BEGIN CERTIFICATE-----"
_PEM_KEY_LABELS: Final = (
    b"PRIVATE KEY",
    b"RSA PRIVATE KEY",
    b"EC PRIVATE KEY",
    b"DSA PRIVATE KEY",
    b"ENCRYPTED PRIVATE KEY",
)
_DER_START: Final = 0x30  # an ASN.1 SEQUENCE
_DER_ONLY: Final = "it is DER-encoded; Home Assistant's server only loads PEM files"


@dataclass(frozen=True, kw_only=True)
class FileFacts:
    """A certificate or key file: its mode and modification time, or why it cannot be read."""

    path: str  # as configured
    mode: int | None = None  # permission bits
    mtime: datetime | None = None
    error: str | None = None
    relative: str | None = None  # the path inside the configuration directory, if it is

    @property
    def shown(self) -> str:
        """The path as people see it: relative to the configuration directory if inside."""
        return self.relative or self.path


@dataclass(frozen=True, kw_only=True)
class LeafCertificate:
    """What counts of the leaf certificate."""

    subject: str
    not_before: datetime
    not_after: datetime
    self_signed: bool
    key_type: str  # RSA, EC, DSA, Ed25519, Ed448
    key_size: int | None
    signature_hash: str | None  # sha256, sha1, md5, None for Ed25519/Ed448
    dns_names: tuple[str, ...]  # subjectAltName DNS names, else the common name
    ip_addresses: tuple[str, ...]
    chain_length: int  # certificates in the file, the leaf included
    encoding: str  # PEM or DER


@dataclass(frozen=True, kw_only=True)
class CertificateReading:
    """The configured certificate and key, as far as they could be read."""

    certificate_file: FileFacts
    key_file: FileFacts  # the certificate file itself when no `ssl_key` is configured
    key_in_certificate_file: bool
    leaf: LeafCertificate | None
    certificate_error: str | None  # why the server cannot use the certificate
    key_error: str | None  # why the server cannot use the key
    key_matches: bool | None  # None when either side could not be read

    @property
    def newest_mtime(self) -> datetime | None:
        """When the certificate or the key last changed."""
        times = [t for t in (self.certificate_file.mtime, self.key_file.mtime) if t]
        return max(times) if times else None


def _facts(path: str, info: os.stat_result | None, error: str | None) -> FileFacts:
    if info is None:
        return FileFacts(path=path, error=error)
    return FileFacts(
        path=path,
        mode=stat.S_IMODE(info.st_mode),
        mtime=datetime.fromtimestamp(info.st_mtime, UTC),
        error=error,
    )


def _open_error(err: OSError | ValueError) -> str:
    if isinstance(err, FileNotFoundError):
        return "the file does not exist"
    if isinstance(err, PermissionError):
        return "permission denied"
    reason = getattr(err, "strerror", None) or type(err).__name__
    return f"cannot access the file ({reason})"


def _stat_quietly(path: str) -> os.stat_result | None:
    """Mode and time of a file that cannot be opened (`stat` never blocks)."""
    try:
        return os.stat(path)  # noqa: PTH116 - the path as configured, like open
    except (OSError, ValueError):
        return None


def _unusable(info: os.stat_result) -> str | None:
    if stat.S_ISDIR(info.st_mode):
        return "it is a directory"
    if not stat.S_ISREG(info.st_mode):
        return "it is not a regular file"
    if info.st_size > MAX_FILE_BYTES:
        return f"the file is too large ({info.st_size // 1024} KiB)"
    if info.st_size == 0:
        return "the file is empty"
    return None


def _read(path: str) -> tuple[FileFacts, bytes | None]:
    """Read a regular file of bounded size; never blocks on a FIFO, never raises.

    The file is opened without blocking and its type, size, mode and time are those of the
    opened descriptor: a file swapped for a FIFO between a check and the open cannot slip
    through. Exactly the size it has is read (see `safe_read`).
    """
    if (tree := kernel_tree(path)) is not None:
        return _facts(path, None, f"it is under {tree}, a kernel interface"), None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError) as err:
        return _facts(path, _stat_quietly(path), _open_error(err)), None
    info = None
    try:
        info = os.fstat(fd)
        if (error := _unusable(info)) is None:
            return _facts(path, info, None), read_fd(fd, info, MAX_FILE_BYTES)
    except ReadRefused as err:
        error = f"cannot read the file ({err.reason.removeprefix('cannot be read: ')})"
    except OSError as err:
        error = f"cannot read the file ({err.strerror or type(err).__name__})"
    finally:
        os.close(fd)
    return _facts(path, info, error), None


def _private_key_block(data: bytes) -> bytes | None:
    """The first PEM private key block, BEGIN to its END line.

    Plain searches, linear in the file: a pattern that looked for the END after every BEGIN
    was quadratic (a file of BEGIN lines without END took minutes).
    """
    found: tuple[int, int] | None = None
    for label in _PEM_KEY_LABELS:
        begin = b"-----BEGIN " + label + b"-----"
        start = data.find(begin)
        if start < 0 or (found is not None and start > found[0]):
            continue
        end_line = b"-----END " + label + b"-----"
        end = data.find(end_line, start + len(begin) + 1)
        if end >= 0:
            found = (start, end + len(end_line))
    return None if found is None else data[found[0] : found[1]]


def _load_certificates(data: bytes) -> tuple[list[x509.Certificate], str, str | None]:
    """The certificates in a file, their encoding and why the server cannot use them."""
    if _PEM_CERTIFICATE in data:
        try:
            return x509.load_pem_x509_certificates(data), "PEM", None
        except ValueError:
            return [], "PEM", "a PEM certificate in the file cannot be parsed"
    if data[0] == _DER_START:
        try:
            return [x509.load_der_x509_certificate(data)], "DER", _DER_ONLY
        except ValueError:
            pass
    if _private_key_block(data) is not None:
        return [], "PEM", "the file holds a private key but no certificate"
    return [], "", "the file holds no certificate"


def _key_kind(key: object) -> tuple[str, int | None]:
    if isinstance(key, (rsa.RSAPublicKey, rsa.RSAPrivateKey)):
        return "RSA", key.key_size
    if isinstance(key, (ec.EllipticCurvePublicKey, ec.EllipticCurvePrivateKey)):
        return "EC", key.curve.key_size
    if isinstance(key, (dsa.DSAPublicKey, dsa.DSAPrivateKey)):
        return "DSA", key.key_size
    if isinstance(key, (ed25519.Ed25519PublicKey, ed25519.Ed25519PrivateKey)):
        return "Ed25519", 256
    if isinstance(key, (ed448.Ed448PublicKey, ed448.Ed448PrivateKey)):
        return "Ed448", 456
    return type(key).__name__, None


def _is_self_signed(cert: x509.Certificate) -> bool:
    """Issued by itself: same name, and its own key verifies its signature."""
    if cert.issuer != cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except ValueError:
        # cryptography refuses SHA-1 and MD5 signatures here: check them by hand.
        return _verifies_itself(cert)
    except (InvalidSignature, TypeError, UnsupportedAlgorithm):
        return False
    return True


def _verifies_itself(cert: x509.Certificate) -> bool:
    public = cert.public_key()
    try:
        hash_algorithm = cert.signature_hash_algorithm
        if isinstance(public, rsa.RSAPublicKey) and hash_algorithm is not None:
            public.verify(
                cert.signature,
                cert.tbs_certificate_bytes,
                padding.PKCS1v15(),
                hash_algorithm,
            )
        elif (
            isinstance(public, ec.EllipticCurvePublicKey) and hash_algorithm is not None
        ):
            public.verify(
                cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(hash_algorithm)
            )
        else:
            return False
    except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
        return False
    return True


def _names(cert: x509.Certificate) -> tuple[tuple[str, ...], tuple[str, ...]]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        common = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return tuple(str(a.value) for a in common), ()
    return (
        tuple(san.get_values_for_type(x509.DNSName)),
        tuple(str(a) for a in san.get_values_for_type(x509.IPAddress)),
    )


def _leaf(certs: list[x509.Certificate], encoding: str) -> LeafCertificate:
    cert = certs[0]
    key_type, key_size = _key_kind(cert.public_key())
    try:
        hash_algorithm = cert.signature_hash_algorithm
    except UnsupportedAlgorithm:
        hash_algorithm = None
    dns_names, ip_addresses = _names(cert)
    return LeafCertificate(
        subject=cert.subject.rfc4514_string(),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        self_signed=_is_self_signed(cert),
        key_type=key_type,
        key_size=key_size,
        signature_hash=hash_algorithm.name if hash_algorithm is not None else None,
        dns_names=dns_names,
        ip_addresses=ip_addresses,
        chain_length=len(certs),
        encoding=encoding,
    )


def _load_key(data: bytes, where: str) -> tuple[object | None, str | None]:
    """The private key in a file and why the server cannot use it."""
    if (block := _private_key_block(data)) is not None:
        try:
            return serialization.load_pem_private_key(block, password=None), None
        except TypeError:
            return None, (
                "the private key is encrypted with a passphrase, which Home Assistant "
                "cannot supply"
            )
        except (ValueError, UnsupportedAlgorithm):
            return None, "the private key cannot be parsed"
    if data[0] == _DER_START:
        try:
            return serialization.load_der_private_key(data, password=None), _DER_ONLY
        except (TypeError, ValueError, UnsupportedAlgorithm):
            pass
    return None, f"{where} holds no PEM private key"


def _public_der(key: Any) -> bytes | None:
    public = key.public_key() if hasattr(key, "public_key") else key
    try:
        der = public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    except (AttributeError, TypeError, ValueError):
        return None
    return der if isinstance(der, bytes) else None


def relative_path(path: str, config_dir: Path) -> str | None:
    """`path` relative to the configuration directory, or None when it is outside."""
    absolute = os.path.abspath(path)  # noqa: PTH100 - string work, no file system access
    try:
        return Path(absolute).relative_to(os.path.abspath(config_dir)).as_posix()  # noqa: PTH100
    except ValueError:
        return None


def located(reading: CertificateReading, config_dir: Path) -> CertificateReading:
    """The reading, each file saying where it is inside the configuration directory."""

    def inside(file: FileFacts) -> FileFacts:
        return replace(file, relative=relative_path(file.path, config_dir))

    return replace(
        reading,
        certificate_file=inside(reading.certificate_file),
        key_file=inside(reading.key_file),
    )


def read_certificate(
    cert_path: str, key_path: str | None, ssl_profile: str = "modern"
) -> CertificateReading:
    """Read the certificate and key files (blocking); never raises for bad input."""
    cert_file, cert_data = _read(cert_path)
    certificate_error = cert_file.error
    leaf: LeafCertificate | None = None
    certs: list[x509.Certificate] = []
    if cert_data is not None:
        certs, encoding, certificate_error = _load_certificates(cert_data)
        if certs:
            try:
                leaf = _leaf(certs, encoding)
            except (ValueError, TypeError, UnsupportedAlgorithm) as err:
                certificate_error = (
                    f"the certificate cannot be parsed ({type(err).__name__})"
                )

    if key_path is None:
        key_file, key_data = cert_file, cert_data
        where = "no ssl_key is configured and the certificate file"
    else:
        key_file, key_data = _read(key_path)
        where = "the file"
    key_error = key_file.error if key_path is not None else None
    private_key: object | None = None
    if key_data is not None:
        private_key, key_error = _load_key(key_data, where)

    key_matches: bool | None = None
    if leaf is not None and private_key is not None:
        cert_public = _public_der(certs[0].public_key())
        key_public = _public_der(private_key)
        if cert_public is not None and key_public is not None:
            key_matches = cert_public == key_public
    if (
        certificate_error is None
        and key_error is None
        and key_matches is True
        and cert_data is not None
    ):
        certificate_error = server_refuses(
            cert_data, None if key_path is None else key_data, ssl_profile
        )
    return CertificateReading(
        certificate_file=cert_file,
        key_file=key_file,
        key_in_certificate_file=key_path is None,
        leaf=leaf,
        certificate_error=certificate_error,
        key_error=key_error,
        key_matches=key_matches,
    )


# --- the fact ----------------------------------------------------------------------------


async def _async_read_certificate(ctx: ScanContext) -> CertificateReading | None:
    """The certificate and key the effective HTTP settings name, read from their files."""
    http = await ctx.fact(HTTP_SETTINGS)
    if not (cert_path := http.ssl_certificate):
        return None
    reading = await ctx.hass.async_add_executor_job(
        read_certificate, cert_path, http.ssl_key, http.ssl_profile
    )
    return located(reading, ctx.config_dir)


CERTIFICATE: Final = Fact[CertificateReading | None](
    name="the certificate", gather=_async_read_certificate
)
"""The served certificate and its key; None when no certificate is configured."""

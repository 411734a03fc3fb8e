"""The command: scan a configuration directory, print the findings, exit by severity.

    security-posture-scan [CONFIG_DIR]            # the whole configuration
    security-posture-scan FILE ...                # pre-commit: findings in these files
    security-posture-scan --format sarif --output results.sarif config/

With file names (as pre-commit passes the files of a commit), the whole configuration is
scanned, since a file changes what others mean (`!secret`, `!include`), and the findings in
those files are reported. The configuration directory is then `--config-dir` (by default
the current directory, the repository's root under pre-commit).

Exit status: 0 when no finding is at or above `--fail-on` (default `low`), 1 when one is,
2 when the configuration cannot be scanned (no readable `configuration.yaml`).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
import sys
from typing import TYPE_CHECKING, Final

from custom_components.security_posture.inspect.http_releases import (
    NEWEST_KNOWN,
    release_of,
)
from custom_components.security_posture.model import Severity

from . import output
from .scan import ScanResult, load_checks, scan

if TYPE_CHECKING:
    from collections.abc import Sequence

    from custom_components.security_posture.inspect.http_releases import HttpRelease

FORMATS: Final = ("text", "json", "sarif")
NEVER: Final = "never"
EXIT_CLEAN: Final = 0
EXIT_FINDINGS: Final = 1
EXIT_UNSCANNABLE: Final = 2


def _release(text: str) -> HttpRelease:
    major, dot, minor = text.partition(".")
    if not (dot and major.isdigit() and minor.isdigit()):
        raise argparse.ArgumentTypeError(f"not a release like 2026.11: {text}")
    return release_of(int(major), int(minor))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="security-posture-scan",
        description=(
            "Security Posture's file checks of a Home Assistant configuration: "
            "credentials written into it, undefined and unused secrets, secrets.yaml "
            "committed or served, and the HTTP settings written in YAML. Values are never "
            "printed."
        ),
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="a configuration directory, or files of it (default: --config-dir)",
    )
    parser.add_argument(
        "--config-dir",
        metavar="DIR",
        help="the configuration directory when files are given (default: .)",
    )
    parser.add_argument(
        "--disable",
        action="append",
        default=[],
        metavar="CHECK",
        choices=[check.id for check in load_checks()],
        help="do not run this check (repeatable), like the integration's option",
    )
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument(
        "--output", metavar="FILE", help="write the output here instead of stdout"
    )
    parser.add_argument(
        "--fail-on",
        choices=[*(str(s) for s in Severity), NEVER],
        default=str(Severity.LOW),
        help="exit 1 when a finding is of this severity or above (default: low)",
    )
    default = ".".join(map(str, NEWEST_KNOWN))
    parser.add_argument(
        "--release",
        type=_release,
        default=_release(default),
        metavar="MAJOR.MINOR",
        help=f"the Home Assistant release that reads the http: block (default: {default})",
    )
    return parser


def _relative(path: str, config_dir: Path) -> str | None:
    """A file given on the command line, as the graph names it; None when outside."""
    # Lexically, as the graph names files (a link is not followed).
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(config_dir))  # noqa: PTH100
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return None
    return Path(relative).as_posix()


def _only(result: ScanResult, files: set[str]) -> ScanResult:
    """The findings and notes about `files` (notes about no file are kept)."""
    return ScanResult(
        checks=result.checks,
        findings=tuple(f for f in result.findings if f.file in files),
        notes=tuple(n for n in result.notes if n.file is None or n.file in files),
        unscannable=result.unscannable,
    )


def _base(config_dir: Path) -> Path | None:
    """The configuration directory relative to the current one, if inside it."""
    relative = _relative(str(config_dir), Path())
    return None if relative is None or relative == "." else Path(relative)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status."""
    args = _parser().parse_args(argv)
    paths: list[str] = args.paths
    files: set[str] | None = None
    if len(paths) == 1 and Path(paths[0]).is_dir() and args.config_dir is None:
        config_dir = Path(paths[0])
    else:
        config_dir = Path(args.config_dir or ".")
        if paths:
            files = {r for p in paths if (r := _relative(p, config_dir)) is not None}
    checks = load_checks()
    result = scan(
        config_dir,
        release=args.release,
        checks=checks,
        disabled=frozenset(args.disable),
    )
    if files is not None:
        result = _only(result, files)
    if args.format == "json":
        rendered = json.dumps(output.report(result), indent=2) + "\n"
    elif args.format == "sarif":
        rendered = json.dumps(output.sarif(result, checks, _base(config_dir)), indent=2)
        rendered += "\n"
    else:
        rendered = output.text(result)
    if args.output:
        Path(args.output).write_text(rendered, encoding="utf-8")
    else:
        sys.stdout.write(rendered)
    if result.unscannable is not None:
        sys.stderr.write(f"cannot scan {config_dir}: {result.unscannable}\n")
        return EXIT_UNSCANNABLE
    if args.fail_on == NEVER:
        return EXIT_CLEAN
    threshold = Severity(args.fail_on).rank
    failing = any(f.severity.rank >= threshold for f in result.findings)
    return EXIT_FINDINGS if failing else EXIT_CLEAN

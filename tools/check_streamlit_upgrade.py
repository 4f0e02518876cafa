"""Run the Streamlit seam's canaries against another Streamlit, in a scratch virtualenv, and say what broke.

    python -m tools.check_streamlit_upgrade [--version 1.68.0] [--venv DIR]   (make check-streamlit-upgrade)

The scratch virtualenv gets the project's requirements (requirements-dev.txt, with requirements.txt)
with only the Streamlit pin changed (no ``--version``: the newest on the package index), then runs
``tests/browser/test_streamlit_seam_in_chromium.py`` and the upload endpoint's security test (the two
upload internals) with it. Each broken item is printed with what it replaced, from ``ui/seam.py``'s
registry; the exit status is 0 only when nothing broke.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import venv
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CANARIES = ("tests/browser/test_streamlit_seam_in_chromium.py", "tests/security/test_upload_endpoint.py")
_PIN = re.compile(r"^\s*streamlit\s*(==|>=|~=)[^\s#]*", re.IGNORECASE)


def requirements_with(version: str | None) -> str:
    """requirements.txt and requirements-dev.txt as one file, Streamlit pinned to ``version`` (newest if None)."""
    lines: list[str] = []
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            if line.strip().startswith("-r"):
                continue
            if _PIN.match(line):
                line = f"streamlit=={version}" if version else "streamlit"
            lines.append(line)
    return "\n".join(lines) + "\n"


def make_venv(where: Path, version: str | None) -> Path:
    """The scratch virtualenv at ``where`` with the project's requirements and that Streamlit; its python."""
    python = where / "bin" / "python"
    if not python.exists():
        print(f"creating a scratch virtualenv in {where}", flush=True)
        venv.create(where, with_pip=True, clear=True)
    requirements = where / "requirements.txt"
    requirements.write_text(requirements_with(version), encoding="utf-8")
    print(f"installing the project's requirements with streamlit {version or '(newest)'}", flush=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--quiet", "-r", str(requirements)],
        check=True,
    )
    return python


def installed_streamlit(python: Path) -> str:
    done = subprocess.run(
        [str(python), "-c", "import streamlit; print(streamlit.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def broken_items(junit: Path) -> list[tuple[str, str]]:
    """(test id, message) of each failing or erroring test case in a JUnit report."""
    broken = []
    for case in ET.parse(junit).getroot().iter("testcase"):
        for outcome in ("failure", "error"):
            found = case.find(outcome)
            if found is not None:
                message = (found.get("message") or "").splitlines()[0] if found.get("message") else outcome
                broken.append((f"{case.get('classname')}::{case.get('name')}", message))
    return broken


def describe(test_id: str) -> str:
    """What a failing canary means, from ui/seam.py's registry (the test's parameter is the item's name)."""
    from ui import seam

    match = re.search(r"\[(\w+)\]$", test_id)
    name = match.group(1) if match else ""
    for item in seam.SELECTORS:
        if item.name == name:
            return f"selector {name} {item.css!r}: {item.replaces}"
    apis = {api.name: api for api in seam.PRIVATE_APIS}
    if "page_not_found" in test_id:
        api = apis["page_not_found"]
        return f"{api.module}.{api.attribute}: {api.replaces}"
    if "private_api" in test_id:
        return "a private API of ui/seam.py's PRIVATE_APIS is gone (the failure names it)"
    if "upload" in test_id:
        return "the upload guard (ui/uploads.py through ui/seam.py's upload_store and upload_release)"
    return "see the test"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default="", help="the Streamlit to try (default: the newest on the index)")
    parser.add_argument("--venv", default=str(ROOT / "test-artifacts" / "streamlit-upgrade" / "venv"))
    parser.add_argument("pytest_args", nargs="*", help="more arguments for pytest")
    args = parser.parse_args(argv)

    python = make_venv(Path(args.venv), args.version or None)
    version = installed_streamlit(python)
    junit = Path(args.venv).parent / "canaries.xml"
    print(f"running the Streamlit seam's canaries against streamlit {version}", flush=True)
    subprocess.run(
        [
            str(python),
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            f"--junitxml={junit}",
            *CANARIES,
            *args.pytest_args,
        ],
        cwd=ROOT,
        # Streamlit reads STREAMLIT_<OPTION> variables as its options: make's STREAMLIT_VERSION would be --version
        env={k: v for k, v in os.environ.items() if k != "STREAMLIT_VERSION"},
        check=False,
    )
    if not junit.exists():
        print("the canaries did not run (no report): see pytest's output above", file=sys.stderr)
        return 2
    broken = broken_items(junit)
    if not broken:
        print(f"streamlit {version}: every item of ui/seam.py still works")
        return 0
    print(f"streamlit {version}: {len(broken)} canary test(s) broke:")
    for test_id, message in broken:
        print(f"  - {test_id}\n      {describe(test_id)}\n      {message}")
    return 1


if __name__ == "__main__":
    sys.exit(main())

"""The project installs as a package (``pip install -e .``) with the dependencies the requirements
files pin: the two lists cannot drift apart."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _pins(path: Path) -> set[str]:
    """The requirement lines of a requirements file, without comments and ``-r`` includes."""
    lines = (re.sub(r"\s*#.*", "", line).strip() for line in path.read_text(encoding="utf-8").splitlines())
    return {line for line in lines if line and not line.startswith("-")}


def test_the_package_depends_on_exactly_what_requirements_txt_pins():
    assert set(PROJECT["project"]["dependencies"]) == _pins(ROOT / "requirements.txt")


def test_the_dev_extra_is_exactly_what_requirements_dev_txt_adds():
    assert set(PROJECT["project"]["optional-dependencies"]["dev"]) == _pins(ROOT / "requirements-dev.txt")


def test_every_package_of_the_project_is_installed_and_nothing_else():
    include = PROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests"}
    assert {pattern.rstrip("*") for pattern in include} == packages
